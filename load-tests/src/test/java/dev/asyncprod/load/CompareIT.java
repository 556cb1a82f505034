package dev.asyncprod.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
