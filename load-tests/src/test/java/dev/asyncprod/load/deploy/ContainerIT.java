package dev.asyncprod.load.deploy;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The image built from {@code docker/Dockerfile}, run as a user would (host networking, the
 * container's own defaults): the API answers, the HEALTHCHECK turns healthy, and {@code docker stop}
 * drains: requests in flight finish and the JVM exits 0. Skipped without a Docker engine, and
 * without the base image when no registry can provide it ({@code docker/offline-images.sh} builds one).
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIT {

    static final String BASE_IMAGE = System.getProperty("docker.base.image", "eclipse-temurin:25-jre");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static GenericContainer<?> server;
    static int port;

    @BeforeAll
    static void startImage() throws IOException {
        DockerClient docker = DockerClientFactory.instance().client();
        assumeTrue(!docker.listImagesCmd().withReferenceFilter(BASE_IMAGE).exec().isEmpty(),
                "base image " + BASE_IMAGE + " is not present; run docker/offline-images.sh (offline) or docker pull it");
        Path root = Path.of(System.getProperty("repo.root", ".."));
        ImageFromDockerfile image = new ImageFromDockerfile("asyncprod-it", true)
                .withFileFromPath("Dockerfile", root.resolve("docker/Dockerfile"))
                .withFileFromPath("server/target/server.jar", root.resolve("server/target/server.jar"))
                .withFileFromPath("load-tests/target/load-tests.jar", root.resolve("load-tests/target/load-tests.jar"))
                .withBuildArg("BASE_IMAGE", BASE_IMAGE)
                .withBuildImageCmdModifier(build -> build.withNetworkMode("host"));
        port = freePort();
        server = new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("PORT", Integer.toString(port))
                .withEnv("LOG_LEVEL", "warn")
                .waitingFor(new HealthEndpointAnswers());
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    @Order(1)
    void apiAnswersThroughTheContainer() throws Exception {
        assertThat(get("/hello").body()).isEqualTo("hello");
        assertThat(get("/sleep?ms=100").body()).contains("\"slept_ms\":100").contains("\"mode\":\"async\"");
        HttpResponse<String> gather = get("/gather?ms=200,500");
        assertThat(gather.statusCode()).isEqualTo(200);
        assertThat(gather.body()).contains("\"total_ms\":");
        assertThat(get("/health").statusCode()).isEqualTo(200);
        // The user is the image's own, not root.
        assertThat(server.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
    }

    @Test
    @Order(2)
    void healthcheckTurnsHealthy() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                "healthy".equals(server.getCurrentContainerInfo().getState().getHealth().getStatus()));
    }

    @Test
    @Order(3)
    void dockerStopDrainsRequestsInFlightAndExitsZero() {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inFlight.add(HTTP.sendAsync(request("/sleep?ms=2000"), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlightOnServer() >= 20);

        DockerClient docker = DockerClientFactory.instance().client();
        docker.stopContainerCmd(server.getContainerId()).withTimeout(30).exec(); // SIGTERM, then 30 s grace

        assertThat(inFlight).allSatisfy(f -> assertThat(join(f).statusCode()).isEqualTo(200));
        Long exit = docker.inspectContainerCmd(server.getContainerId()).exec().getState().getExitCodeLong();
        assertThat(exit).isZero();
    }

    private static long inFlightOnServer() throws Exception {
        String info = get("/info").body();
        return Long.parseLong(info.replaceAll(".*\"in_flight\":(\\d+).*", "$1")) - 1; // minus this /info
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Host networking maps no ports, so wait on {@code /health} at the port the container was given. */
    static final class HealthEndpointAnswers extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> get("/health").statusCode() == 200);
        }
    }
}
