package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.base.testing.ChildProcess;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.ServerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code client-cli/target/client.jar} as a user runs it against the running service. */
class ClientCliIT {

    private static final Pattern STAMP = Pattern.compile("^\\[\\d{2}:\\d{2}:\\d{2}] .*");

    @Test
    void gatherReplaysTheSeedDemoAndTheTasksOverlap() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=async", "--log-level=warn")) {
            // Waits far apart, so their order is certain and "less than the sum" has a whole second of room.
            Result r = client("gather", "1000", "1500", "--url", "http://127.0.0.1:" + server.port());

            assertThat(r.exitCode).as(r.output).isZero();
            List<String> lines = r.output.lines().toList();
            assertThat(lines).allMatch(l -> STAMP.matcher(l).matches(), "stamped [HH:MM:SS]");
            List<String> unstamped = lines.stream().map(l -> l.substring(11)).toList();
            assertThat(unstamped).hasSize(6);
            assertThat(unstamped.subList(0, 3)).containsExactly(
                    "main: START run_until_complete",
                    "task-1: START (wait for 1s)",
                    "task-2: START (wait for 1.5s)");
            // Both started before either ended: the tasks overlap, each answered on an event loop.
            assertThat(unstamped.get(3)).matches("task-1: END   \\(wait for 1s, on event-loop-\\d+\\)");
            assertThat(unstamped.get(4)).matches("task-2: END   \\(wait for 1\\.5s, on event-loop-\\d+\\)");
            Matcher took = Pattern.compile("main: END   run_until_complete \\(took ([0-9.]+)s; the waits add up to 2\\.5s\\)")
                    .matcher(unstamped.get(5));
            assertThat(took.matches()).as(unstamped.get(5)).isTrue();
            assertThat(Double.parseDouble(took.group(1))).as("overlapped: at least the longest wait, less than the sum")
                    .isGreaterThanOrEqualTo(1.5).isLessThan(2.5);
        }
    }

    @Test
    void getPrintsStatusAndBodyAndFailsOnErrors() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=virtual", "--log-level=warn")) {
            Result ok = client("get", "-i", "http://127.0.0.1:" + server.port() + "/sleep?ms=5");
            assertThat(ok.exitCode).isZero();
            assertThat(ok.output).startsWith("HTTP 200 (").contains("content-type: application/json",
                    "\"slept_ms\":5", "\"mode\":\"virtual\"");

            Result bad = client("get", "http://127.0.0.1:" + server.port() + "/sleep?ms=x");
            assertThat(bad.exitCode).isEqualTo(1);
            assertThat(bad.output).startsWith("HTTP 400 (").contains("bad_parameter");
        }
        Result refused = client("get", "http://127.0.0.1:1/hello");
        assertThat(refused.exitCode).isEqualTo(1);
        assertThat(refused.output.strip()).isEqualTo("error: 127.0.0.1:1: connection refused");
    }

    @Test
    void badArgumentsAreOneLine() throws Exception {
        Result r = client("gather", "20", "abc");

        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.output.strip()).isEqualTo("error: 'abc' is not a delay in milliseconds from 0 to 60000 (see --help)");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result client(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ServerJarProcess.currentJava(), "-jar",
                Path.of(System.getProperty("client.jar", "../client-cli/target/client.jar")).toString()));
        command.addAll(List.of(args));
        ChildProcess.Outcome outcome = ChildProcess.run(new ProcessBuilder(command), Duration.ofSeconds(60));
        return new Result(outcome.exit(), outcome.output());
    }
}
