package dev.asyncprod.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.common.process.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare} end to end on the tiny matrix: servers started and stopped, reports and raw files written. */
class CompareIT {

    @Test
    void compareRunsTheMatrixAndWritesItsReports(@TempDir Path out) throws Exception {
        int code = LoadMain.commandLine().execute("compare", "--quick", "-d", "1s", "--warmup", "0s",
                "--modes", "async,blocking", "--server-jar", LoadGeneratorIT.SERVER_JAR.toString(), "--reference-jar", "target/load-tests.jar",
                "--out", out.toString());

        assertThat(code).isZero();
        String md = Files.readString(out.resolve("report.md"));
        for (String mode : new String[] {"async", "blocking"}) {
            for (String cell : new String[] {"hello-c8", "sleep-c20", "sleep-r200"}) {
                assertThat(md).containsPattern("\\| " + cell + " \\| .*\\| " + mode + " \\| [0-9,]+ \\|");
                JsonNode json = new ObjectMapper().readTree(out.resolve(mode + "-" + cell + ".json").toFile());
                assertThat(json.path("requests").asLong()).isPositive();
                assertThat(Files.size(out.resolve(mode + "-" + cell + ".hlog"))).isPositive();
            }
        }
        assertThat(md).contains("cores").containsPattern("Netty 4\\.[0-9]+");
        // The bare Netty reference ran the cells it serves, first, and each mode reads its ratio to it.
        for (String cell : new String[] {"hello-c8", "sleep-c20", "sleep-r200"}) {
            assertThat(md).containsPattern("\\| " + cell + " \\| .*\\| bare-netty \\| [0-9,]+ \\|.*\\| - \\|\n");
            assertThat(md).containsPattern("\\| " + cell + " \\| .*\\| async \\| [0-9,]+ \\|.*\\| [0-9]+\\.[0-9]{2}x \\|\n");
        }
        assertThat(Files.readString(out.resolve("bare-netty-hello-c8.json"))).contains("\"requests\"");
        if (PostgresCluster.unavailableReason().isEmpty()) {
            // The /db cells ran against the embedded PostgreSQL, the reference's /db beside async's, and the
            // pg_sleep cell's bound is the pool's: 10 connections / 20 ms = 500 req/s in every mode.
            assertThat(md).containsPattern("\\| db-c8 \\| .*\\| bare-netty \\| [0-9,]+ \\|");
            assertThat(md).containsPattern("\\| db-c8 \\| .*\\| async \\| [0-9,]+ \\|.*\\| [0-9]+\\.[0-9]{2}x \\|\n");
            for (String mode : new String[] {"async", "blocking"}) {
                assertThat(md).containsPattern("\\| dbsleep-c40 \\| .*\\| " + mode + " \\| [0-9,]+ \\| .* \\| 500 \\| [0-9]+% \\|");
                long errors = 0;
                for (JsonNode count : new ObjectMapper().readTree(out.resolve(mode + "-db-c8.json").toFile()).path("errors")) {
                    errors += count.asLong();
                }
                assertThat(errors).as(mode + " /db errors").isZero();
            }
        }
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg", "req/s against connections", "<table>").doesNotContain("<script");
        JsonNode env = new ObjectMapper().readTree(out.resolve("environment.json").toFile());
        assertThat(env.path("cores").asInt()).isPositive();
        assertThat(env.path("servers").path("async").path("transport").asText()).isNotBlank();
        // Each server was stopped by its own PID: nothing is left listening on the ports it used.
        long async = env.path("servers").path("async").path("pid").asLong();
        assertThat(ProcessHandle.of(async).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
