package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.base.testing.ChildProcess;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} as Prometheus takes it: Prometheus' own linter finds nothing to say about a
 * scrape, and a real Prometheus (Debian's package) scraping a running server answers a PromQL
 * query for its request rate. Skips, saying why, where the binaries are not installed.
 */
class PrometheusIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void promtoolFindsNothingToSayAboutAScrape() throws Exception {
        Path promtool = binary("promtool");
        try (ServerJarProcess server = ServerProcess.start("--log-level=warn")) {
            Http.get(server.uri("/hello"));
            Http.get(server.uri("/nope"));
            Http.postJson(server.uri("/email"), "{\"to\": \"a@b.example\", \"subject\": \"s\", \"body\": \"b\"}");
            Path scrape = Files.createTempFile("metrics", ".txt");
            Files.writeString(scrape, Http.get(server.uri("/metrics")).body());

            ChildProcess.Outcome check = ChildProcess.run(new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(scrape.toFile()), Duration.ofSeconds(30));
            assertThat(check.output()).as("promtool check metrics").isEmpty();
            assertThat(check.exit()).isZero();
        }
    }

    @Test
    void aRealPrometheusScrapesTheServerAndAnswersItsRequestRate() throws Exception {
        Path prometheus = binary("prometheus");
        try (ServerJarProcess server = ServerProcess.start("--log-level=warn")) {
            Path dir = Files.createTempDirectory("prometheus-");
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: asyncprod
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(server.port()));
            int port = freePort();
            Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=");
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                // Traffic while Prometheus scrapes: a rate needs two scrapes that saw it grow.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (int i = 0; i < 20 && System.nanoTime() < end; i++) {
                        Http.get(server.uri("/hello"));
                    }
                    String query = "sum(rate(http_server_requests_seconds_count{route=\"/hello\",mode=\"async\"}[10s]))";
                    JsonNode answer = JSON.readTree(Http.get(URI.create(api + URLEncoder.encode(query, StandardCharsets.UTF_8))).body());
                    assertThat(answer.path("status").asText()).isEqualTo("success");
                    JsonNode result = answer.path("data").path("result");
                    assertThat(result).as("a series for the query").hasSize(1);
                    assertThat(result.get(0).path("value").get(1).asDouble()).as("requests per second").isPositive();
                });
                JsonNode up = JSON.readTree(Http.get(URI.create(api + "up")).body());
                assertThat(up.path("data").path("result").get(0).path("value").get(1).asText()).isEqualTo("1");
            } finally {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Debian's prometheus package puts both on the PATH; skip the test, saying so, without them. */
    private static Path binary(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Assumptions.abort(name + " is not installed (apt-get install prometheus); .ci/run installs it");
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
