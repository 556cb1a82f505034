package dev.asyncprod.load.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.base.testing.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose stack end to end, as its header says to run it: three async replicas behind the
 * {@code lb} nginx and a Prometheus scraping them, brought up with {@code --scale async=3}; traffic
 * through {@code lb} reaches every replica, and Prometheus reads the request rate and the exact
 * count back. Skipped without docker-compose, an engine, the images it names (offline:
 * {@code docker/offline-images.sh}) or the stack's ports free.
 */
class ComposeStackIT {

    static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    static final String PROJECT = "asyncprod-stack-it";
    static final List<String> IMAGES = List.of("eclipse-temurin:25-jre", "nginx:1.22", "prom/prometheus:v2.42.0", "postgres:15");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static boolean up;

    @BeforeAll
    static void upWithThreeReplicas() throws Exception {
        assumeTrue(new File("/usr/bin/docker-compose").canExecute(), "docker-compose is not installed");
        assumeTrue(run(List.of("docker", "info")).exit() == 0, "no Docker engine");
        for (String image : IMAGES) {
            assumeTrue(run(List.of("docker", "image", "inspect", image)).exit() == 0,
                    image + " is not present; run docker/offline-images.sh (offline) or pull it");
        }
        for (int port : new int[] {9090, 9200, 9201, 9202, 9203, 55432}) {
            assumeTrue(free(port), "port " + port + " is taken");
        }
        up = true;
        ChildProcess.Outcome result = compose("up", "-d", "--build", "--scale", "async=3", "postgres", "async", "lb", "prometheus");
        assertThat(result.exit()).as(result.output()).isZero();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> get("http://127.0.0.1:9200/health").statusCode() == 200);
    }

    @AfterAll
    static void down() throws Exception {
        if (up) {
            ChildProcess.Outcome result = compose("down", "-v", "--timeout", "40");
            assertThat(result.exit()).as(result.output()).isZero();
        }
    }

    @Test
    void trafficThroughTheBalancerReachesEveryReplicaAndPrometheusReadsItsRate() throws Exception {
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        List<Integer> unexpected = new ArrayList<>();
        // Traffic until Prometheus has seen it rise on every replica: a rate needs two scrapes.
        Thread traffic = Thread.ofPlatform().name("compose-traffic").start(() -> {
            while (sending.get()) {
                try {
                    int status = get("http://127.0.0.1:9200/hello").statusCode();
                    if (status == 200) {
                        answered.incrementAndGet();
                    } else {
                        synchronized (unexpected) { unexpected.add(status); }
                    }
                    Thread.sleep(5);
                } catch (Exception e) {
                    synchronized (unexpected) { unexpected.add(-1); }
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
                JsonNode perReplica = query("sum by (instance) (rate(http_server_requests_seconds_count{route=\"/hello\"}[30s]))");
                assertThat(perReplica).hasSize(3);
                perReplica.forEach(series -> assertThat(series.at("/value/1").asDouble()).isPositive());
            });
        } finally {
            sending.set(false);
            traffic.join(10_000);
        }
        assertThat(unexpected).isEmpty();
        assertThat(answered.get()).isPositive();

        // Every request counted once, on the replica that served it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            JsonNode total = query("sum(http_server_requests_seconds_count{route=\"/hello\",status=\"200\"})");
            assertThat(total.at("/0/value/1").asLong()).isEqualTo(answered.get());
        });
    }

    @Test
    void aJobAcceptedThroughTheBalancerIsSeenByEveryReplicaAndDelivered() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:9200/email")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Idempotency-Key", "compose-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\": \"ana@example.com\", \"subject\": \"Hi\", \"body\": \"x\"}"))
                .build();
        HttpResponse<String> accepted = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("id").asText();
        // The same key through the next replica (round robin): the same job, replayed.
        HttpResponse<String> again = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo(id);

        // Round robin sends each lookup to the next replica: every one of them knows the job.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> job = get("http://127.0.0.1:9200/jobs/" + id);
                assertThat(job.statusCode()).as(job.body()).isEqualTo(200);
                assertThat(JSON.readTree(job.body()).get("status").asText()).isEqualTo("sent");
            }
        });
    }

    /** The result vector of an instant PromQL query. */
    static JsonNode query(String promql) throws Exception {
        String url = "http://127.0.0.1:9090/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpResponse<String> response = get(url);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).at("/data/result");
    }

    static HttpResponse<String> get(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static ChildProcess.Outcome compose(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", PROJECT, "-f", "docker/compose.yaml"));
        command.addAll(List.of(args));
        return run(command);
    }

    static ChildProcess.Outcome run(List<String> command) throws Exception {
        return ChildProcess.run(new ProcessBuilder(command).directory(ROOT.toFile()), Duration.ofMinutes(5));
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
