package dev.asyncprod.load.deploy;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@code --transport io_uring} in the image where a seccomp profile refuses io_uring, as Docker 25+'s
 * default profile does: the server says so in one line naming the flag and serves on epoll. The profile
 * here refuses exactly what that default refuses (the three io_uring calls, with its EPERM) and
 * allows the rest, so the test means the same on an engine whose own default still allows io_uring
 * (Debian's 20.10). Skipped without a Docker engine or the base image, as {@link ContainerIT} is.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class IoUringFallbackIT {

    static final String FALLBACK = "--transport io_uring: io_uring is not available here";
    /** Docker 25+'s default profile on io_uring (moby#46762): not in its allowlist, so its defaultErrnoRet, EPERM. */
    static final String REFUSES_IO_URING = """
            {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["io_uring_setup", "io_uring_enter", \
            "io_uring_register"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}""";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static ImageFromDockerfile image;

    @BeforeAll
    static void image() {
        DockerClient docker = DockerClientFactory.instance().client();
        assumeTrue(!docker.listImagesCmd().withReferenceFilter(ContainerIT.BASE_IMAGE).exec().isEmpty(),
                "base image " + ContainerIT.BASE_IMAGE + " is not present; run docker/offline-images.sh (offline) or docker pull it");
        Path root = Path.of(System.getProperty("repo.root", ".."));
        image = new ImageFromDockerfile("asyncprod-uring-it", true)
                .withFileFromPath("Dockerfile", root.resolve("docker/Dockerfile"))
                .withFileFromPath("server/target/server.jar", root.resolve("server/target/server.jar"))
                .withFileFromPath("load-tests/target/load-tests.jar", root.resolve("load-tests/target/load-tests.jar"))
                .withBuildArg("BASE_IMAGE", ContainerIT.BASE_IMAGE)
                .withBuildImageCmdModifier(build -> build.withNetworkMode("host"));
    }

    @Test
    void aProfileThatRefusesIoUringGetsOneLineAndAnEpollServer() throws Exception {
        int port = freePort();
        try (GenericContainer<?> server = server(port)
                .withCreateContainerCmdModifier(create -> create.getHostConfig()
                        .withSecurityOpts(List.of("seccomp=" + REFUSES_IO_URING)))) {
            server.start();

            assertThat(get(port, "/hello").body()).isEqualTo("hello");
            assertThat(get(port, "/info").body()).contains("\"transport\":\"epoll\"");
            List<String> lines = server.getLogs().lines().filter(l -> l.contains(FALLBACK)).toList();
            assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                    .contains("\"level\":\"WARN\"", "Operation not permitted", "serving on epoll instead"));
        }
    }

    @Test
    void theEnginesOwnDefaultProfileEitherAllowsIoUringOrFallsBackSayingSo() throws Exception {
        // Docker 25+ refuses io_uring by default, older engines allow it: either way the server serves,
        // and the line is there exactly when it is not on io_uring.
        int port = freePort();
        try (GenericContainer<?> server = server(port)) {
            server.start();

            String transport = get(port, "/info").body().replaceAll(".*\"transport\":\"([a-z_]+)\".*", "$1");
            long lines = server.getLogs().lines().filter(l -> l.contains(FALLBACK)).count();
            assertThat(transport).isIn("io_uring", "epoll");
            assertThat(lines).isEqualTo(transport.equals("io_uring") ? 0 : 1);
        }
    }

    private static GenericContainer<?> server(int port) {
        return new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("PORT", Integer.toString(port))
                .withEnv("ADMIN_PORT", "0")
                .withEnv("TRANSPORT", "io_uring")
                .waitingFor(new HealthAt(port));
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Host networking maps no ports: wait on {@code /health} at the port the container was given. */
    static final class HealthAt extends org.testcontainers.containers.wait.strategy.AbstractWaitStrategy {
        private final int port;

        HealthAt(int port) {
            this.port = port;
        }

        @Override
        protected void waitUntilReady() {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> get(port, "/health").statusCode() == 200);
        }
    }
}
