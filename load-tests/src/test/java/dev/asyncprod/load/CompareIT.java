package dev.asyncprod.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.asyncprod.common.process.PostgresCluster;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} end to end on the tiny matrix: servers started and stopped, reports and raw files
 * written, and every cell's cost to the server read from /proc beside bare Netty's.
 */
class CompareIT {

    /** A mode's row after its name: CPU and switches per request over bare Netty's (or -), then both as measured, then req/s. */
    private static final String COSTS = "([0-9]+\\.[0-9]{2}x|-) \\| ([0-9]+\\.[0-9]{2}x|-) \\| [0-9]+\\.[0-9] \\| [0-9]+\\.[0-9]{3} \\| [0-9,]+ \\|";
    /** The same where bare Netty served the cell: both ratios are there. */
    private static final String RATIOS = "[0-9]+\\.[0-9]{2}x \\| ([0-9]+\\.[0-9]{2}x|-) \\| [0-9]+\\.[0-9] \\| [0-9]+\\.[0-9]{3} \\| [0-9,]+ \\|";

    @Test
    void compareRunsTheMatrixAndWritesItsReports(@TempDir Path out) throws Exception {
        int code = LoadMain.commandLine().execute("compare", "--quick", "-d", "1s", "--warmup", "0s",
                "--modes", "async,blocking", "--server-jar", LoadGeneratorIT.SERVER_JAR.toString(), "--reference-jar", "target/load-tests.jar",
                "--out", out.toString());

        assertThat(code).isZero();
        String md = Files.readString(out.resolve("report.md"));
        for (String mode : new String[] {"async", "blocking"}) {
            for (String cell : new String[] {"hello-c8", "sleep-c20", "sleep-r200"}) {
                assertThat(md).containsPattern("\\| " + cell + " \\| .*\\| " + mode + " \\| " + RATIOS);
                JsonNode json = new ObjectMapper().readTree(out.resolve(mode + "-" + cell + ".json").toFile());
                assertThat(json.path("requests").asLong()).isPositive();
                assertThat(Files.size(out.resolve(mode + "-" + cell + ".hlog"))).isPositive();
            }
        }
        assertThat(md).contains("cores").containsPattern("Netty 4\\.[0-9]+");
        // The bare Netty reference ran the cells it serves, first, and each mode reads its ratio to it.
        for (String cell : new String[] {"hello-c8", "sleep-c20", "sleep-r200"}) {
            assertThat(md).containsPattern("\\| " + cell + " \\| .*\\| bare-netty \\| - \\| - \\| [0-9.]+ \\| [0-9.]+ \\| [0-9,]+ \\|.*\\| - \\| [^|]+ \\|\n");
            assertThat(md).containsPattern("\\| " + cell + " \\| .*\\| async \\| " + RATIOS + ".*\\| [0-9]+\\.[0-9]{2}x \\| [^|]+ \\|\n");
            // The report leads with the cost: bare Netty's own, then each mode's over it.
            assertThat(md).containsPattern("\\*\\*" + cell + "\\*\\* \\(.*\\): bare Netty spends [0-9.]+ µs of CPU and [0-9.]+ context switches per request");
            assertThat(md).containsPattern("\n- async spends [0-9]+\\.[0-9]{2}x bare Netty's CPU per request and ([0-9]+\\.[0-9]{2}x|-) its context switches");
        }
        assertThat(Files.readString(out.resolve("bare-netty-hello-c8.json"))).contains("\"requests\"");
        if (PostgresCluster.unavailableReason().isEmpty()) {
            // The /db cells ran against the embedded PostgreSQL, the reference's /db beside async's, and the
            // pg_sleep cell's bound is the pool's: 10 connections / 20 ms = 500 req/s in every mode.
            assertThat(md).containsPattern("\\| db-c8 \\| .*\\| bare-netty \\| - \\| - \\| [0-9.]+ \\| [0-9.]+ \\| [0-9,]+ \\|");
            assertThat(md).containsPattern("\\| db-c8 \\| .*\\| async \\| " + RATIOS + ".*\\| [0-9]+\\.[0-9]{2}x \\| [^|]+ \\|\n");
            for (String mode : new String[] {"async", "blocking"}) {
                assertThat(md).containsPattern("\\| dbsleep-c40 \\| .*\\| " + mode + " \\| " + COSTS + " .* \\| 500 \\| [0-9]+% \\|");
                long errors = 0;
                for (JsonNode count : new ObjectMapper().readTree(out.resolve(mode + "-db-c8.json").toFile()).path("errors")) {
                    errors += count.asLong();
                }
                assertThat(errors).as(mode + " /db errors").isZero();
            }
        }
        // Every cell's JSON, each mode's and bare Netty's, says what its requests cost the server, in the published schema.
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("result.schema", "result.schema.json")))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        try (var files = Files.list(out)) {
            for (Path cellJson : files.filter(f -> f.toString().endsWith(".json") && !f.endsWith("environment.json")).toList()) {
                JsonNode result = new ObjectMapper().readTree(cellJson.toFile());
                assertThat(schema.validate(result)).as(cellJson.getFileName().toString()).isEmpty();
                JsonNode cost = result.path("server_cost");
                assertThat(cost.path("cpu_us_per_request").asDouble()).as(cellJson + " CPU per request").isPositive();
                assertThat(cost.path("switches_per_request").isNumber()).as(cellJson + " switches per request").isTrue();
                assertThat(cost.path("switches_per_request").asDouble()).as(cellJson + " switches per request").isNotNegative();
                assertThat(cost.path("steal_percent").asDouble(-1)).as(cellJson + " steal").isBetween(0.0, 100.0);
                boolean mode = !cellJson.getFileName().toString().startsWith("bare-netty-");
                boolean referenceServed = Files.exists(out.resolve("bare-netty-" + cellJson.getFileName().toString().replaceFirst("^[a-z]+-", "")));
                if (mode && referenceServed) {
                    assertThat(cost.path("vs_reference").path("cpu_per_request").asDouble()).as(cellJson + " CPU over bare Netty's").isPositive();
                }
            }
        }
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg", "req/s against connections", "<table>", "CPU per request (µs, log)").doesNotContain("<script");
        JsonNode env = new ObjectMapper().readTree(out.resolve("environment.json").toFile());
        assertThat(env.path("cores").asInt()).isPositive();
        assertThat(env.path("servers").path("async").path("transport").asText()).isNotBlank();
        // Each server was stopped by its own PID: nothing is left listening on the ports it used.
        long async = env.path("servers").path("async").path("pid").asLong();
        assertThat(ProcessHandle.of(async).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
