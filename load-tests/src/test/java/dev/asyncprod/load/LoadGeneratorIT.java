package dev.asyncprod.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.asyncprod.load.compare.ServerUnderTest;
import dev.asyncprod.load.gen.IntervalListener;
import dev.asyncprod.load.gen.LoadGenerator;
import dev.asyncprod.load.gen.LoadResult;
import dev.asyncprod.load.gen.LoadSpec;
import dev.asyncprod.load.merge.MergeCommand;
import dev.asyncprod.load.report.HlogWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator against the real service, started from server/target/server.jar as a user would. */
class LoadGeneratorIT {

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final Path SERVER_JAR = Path.of(System.getProperty("server.jar", "../server/target/server.jar"));

    @TempDir
    static Path dir;

    static ServerUnderTest server;
    static Path serverLog;

    @BeforeAll
    static void startServer() throws Exception {
        serverLog = dir.resolve("server.log");
        // Access log on: each request the server answers leaves one line to count.
        server = ServerUnderTest.start(JAVA, SERVER_JAR, serverLog, List.of("--mode", "async", "--log-level", "info"));
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        server.close();
    }

    @Test
    void closedModelCountsMatchWhatTheServerSaw() throws Exception {
        LoadResult r = LoadGenerator.run(spec("/sleep?ms=5&probe=closed", 4, Duration.ofSeconds(2), 0), IntervalListener.NONE);

        assertThat(r.errorsTotal()).isZero();
        assertThat(r.requests()).isGreaterThan(100);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(accessLines("probe=closed")).isEqualTo(r.requests() + r.inFlightAtEnd()));
    }

    @Test
    void openModelKeepsItsSchedule() throws Exception {
        LoadResult r = LoadGenerator.run(spec("/sleep?ms=10&probe=open", 20, Duration.ofSeconds(3), 400), IntervalListener.NONE);

        assertThat(r.errorsTotal()).isZero();
        // Sent = answered + still in flight at the end (those are not in rps). The schedule intends 400 a
        // second for 3 s: a slot that is late sends at once, so a busy machine delays sends but loses
        // none, except what a slot still owes when the run ends. Never more than intended, one per
        // connection for where each schedule starts; a closed-loop pace (one request per answer) would
        // not reach the rate at all with these 20 connections' 10 ms waits on a stalled machine.
        long sent = r.requests() + r.inFlightAtEnd();
        assertThat(sent).as("requests sent against the 1,200 scheduled").isBetween(1_080L, 1_220L);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(accessLines("probe=open")).isEqualTo(r.requests() + r.inFlightAtEnd()));
    }

    @Test
    void aServerStallShowsInCorrectedLatencyNotInUncorrected() throws Exception {
        // Two connections at 1,000 req/s: a 1 s stall delays ~1,000 scheduled requests, but holds only the
        // 2 that were in flight. The corrected p99.9 sees the stall; the uncorrected one cannot.
        AtomicInteger intervals = new AtomicInteger();
        CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return LoadGenerator.run(spec("/hello", 2, Duration.ofSeconds(8), 1000),
                        (elapsed, service, response, errors, inFlight) -> intervals.incrementAndGet());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Stall the server once the run has reported a full second, so the stall lies well inside its 8 s.
        await().atMost(Duration.ofSeconds(30)).until(() -> intervals.get() >= 1);
        signal("STOP");
        try {
            Thread.sleep(1000); // the stall itself: the server stopped for one second
        } finally {
            signal("CONT");
        }
        LoadResult r = run.get(60, TimeUnit.SECONDS);

        double correctedP999 = r.responseTime().getValueAtPercentile(99.9) / 1000.0;
        double uncorrectedP999 = r.serviceTime().getValueAtPercentile(99.9) / 1000.0;
        assertThat(correctedP999).as("corrected p99.9 ms").isGreaterThan(500);
        assertThat(uncorrectedP999).as("uncorrected p99.9 ms").isLessThan(200);
        assertThat(r.serviceTime().getMaxValue() / 1000.0).as("the stalled requests themselves").isGreaterThan(500);
    }

    @Test
    void jsonOutputValidatesAgainstThePublishedSchema() throws Exception {
        Path closed = dir.resolve("closed.json");
        Path open = dir.resolve("open.json");
        String url = server.uri("/hello").toString();

        assertThat(LoadMain.commandLine().execute("-c", "4", "-d", "1s", "-q", "--json", closed.toString(), url)).isZero();
        assertThat(LoadMain.commandLine().execute("-c", "4", "-d", "1s", "-R", "200", "-q", "--json", open.toString(), url)).isZero();

        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("result.schema", "result.schema.json")))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        for (Path file : List.of(closed, open)) {
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            Set<ValidationMessage> problems = schema.validate(json);
            assertThat(problems).as(file.getFileName().toString()).isEmpty();
        }
        JsonNode openJson = new ObjectMapper().readTree(open.toFile());
        assertThat(openJson.path("model").asText()).isEqualTo("open");
        assertThat(openJson.path("target_rate").asDouble()).isEqualTo(200.0);
        assertThat(openJson.has("corrected_latency_ms")).isTrue();
        // A schema that accepted anything would prove nothing: an open result without its open fields must fail.
        ((com.fasterxml.jackson.databind.node.ObjectNode) openJson).remove("corrected_latency_ms");
        assertThat(schema.validate(openJson)).isNotEmpty();
    }

    @Test
    void mergingTwoLogsEqualsAddingTheTwoRuns() throws Exception {
        Path a = dir.resolve("a.hlog");
        Path b = dir.resolve("b.hlog");
        CompletableFuture<LoadResult> first = CompletableFuture.supplyAsync(() -> runLogged(a, "/sleep?ms=2"));
        CompletableFuture<LoadResult> second = CompletableFuture.supplyAsync(() -> runLogged(b, "/hello"));
        LoadResult ra = first.get(60, TimeUnit.SECONDS);
        LoadResult rb = second.get(60, TimeUnit.SECONDS);

        MergeCommand.Merged merged = MergeCommand.merge(List.of(a, b));

        Histogram combined = new Histogram(3);
        combined.add(ra.responseTime());
        combined.add(rb.responseTime());
        assertThat(merged.latency().getTotalCount()).isEqualTo(ra.requests() + rb.requests());
        assertThat(merged.latency()).isEqualTo(combined);
        assertThat(merged.latency().getValueAtPercentile(99)).isEqualTo(combined.getValueAtPercentile(99));
    }

    private static LoadResult runLogged(Path log, String path) {
        try (HlogWriter writer = new HlogWriter(log, System.currentTimeMillis(), false)) {
            return LoadGenerator.run(spec(path, 4, Duration.ofSeconds(2), 0),
                    (elapsed, service, response, errors, inFlight) -> writer.interval(service, response));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static LoadSpec spec(String path, int connections, Duration duration, double rate) {
        return new LoadSpec(server.uri(path), "GET", Map.of(), new byte[0], connections, 1, duration, Duration.ofSeconds(10), rate,
                Duration.ZERO);
    }

    private static long accessLines(String marker) throws Exception {
        try (var lines = Files.lines(serverLog)) {
            return lines.filter(l -> l.contains("] access ") && l.contains(marker)).count();
        }
    }

    private static void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(server.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

}
