package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.base.testing.ChildProcess;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jar as a user runs it: banner, help, one-line errors with exit code 2. */
class CommandLineIT {

    @Test
    void startupPrintsTheFactsAUserNeeds() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=virtual")) {
            assertThat(Http.get(server.uri("/hello")).body()).isEqualTo("hello");
        }
        Result r = run("--port=0", "--host=127.0.0.1", "--mode=blocking", "--blocking-threads=7", "--help");
        assertThat(r.exitCode).isZero();
        assertThat(r.output).contains("--mode", "--blocking-threads", "--blocking-queue", "--max-body",
                "--idle-timeout", "--event-loops", "--transport", "env PORT");
    }


    @Test
    void badFlagValueIsOneLineAndExitCode2() throws Exception {
        Result r = run("--event-loops=abc");

        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.output.strip().lines().filter(l -> !l.startsWith("WARNING")).toList())
                .containsExactly("error: Invalid value for option '--event-loops': 'abc' is not an int (see --help)");
    }

    @Test
    void replicasGivenAPortRangeEachTakeTheNextFreePort() throws Exception {
        int first;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            first = probe.getLocalPort();
        }
        String range = "--port=" + first + "-" + (first + 5);
        try (ServerJarProcess a = ServerProcess.start(range); ServerJarProcess b = ServerProcess.start(range)) {
            assertThat(a.port()).isBetween(first, first + 5);
            assertThat(b.port()).isBetween(first, first + 5).isNotEqualTo(a.port());
            assertThat(Http.get(b.uri("/hello")).body()).isEqualTo("hello");
        }
    }

    @Test
    void secondServerOnTheSameDataDirectoryRefusesToStart() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("asyncprod-shared-");
        try (ServerJarProcess owner = ServerProcess.start("--data-dir=" + data)) {
            Result r = run("--port=0", "--data-dir=" + data);

            assertThat(r.exitCode).isEqualTo(1);
            assertThat(r.output).contains("is in use by another server; give each server process its own --data-dir");
            assertThat(Http.get(owner.uri("/health")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUnreachableJobDatabaseIsOneLineAndExitCode1() throws Exception {
        String nowhere = dev.asyncprod.server.support.PostgresExtension.unreachableUrl();
        Result r = run("--port=0", "--jobs=" + nowhere);

        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.output.lines().filter(l -> l.startsWith("error:")))
                .containsExactly("error: cannot start: cannot reach the job store " + nowhere + ": Connection refused");
        assertThat(r.output).doesNotContain("\tat ");
    }

    @Test
    void aJobsFlagThatIsNeitherSqliteNorPostgresIsExitCode2() throws Exception {
        Result r = run("--jobs=mysql://app@db/jobs");

        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.output).startsWith("error: --jobs must be sqlite or postgresql://");
    }

    @Test
    void unknownFlagIsOneLineAndExitCode2() throws Exception {
        Result r = run("--colour=blue");

        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.output).startsWith("error: Unknown option: '--colour=blue'").doesNotContain("at dev.");
    }

    @Test
    void virtualLoopServesFromTheJarAndWithoutItsJvmFlagIsOneLine() throws Exception {
        // java -jar: the manifest's Add-Opens gives virtual-loop what it needs.
        try (ServerJarProcess server = ServerProcess.start("--mode=virtual-loop")) {
            assertThat(Http.get(server.uri("/sleep?ms=1")).body()).contains("\"mode\":\"virtual-loop\"",
                    "\"thread\":\"virtual-loop-");
        }
        // The same jar on a class path, with no --add-opens: refused at start, saying which flag.
        Result r = run(List.of(ServerJarProcess.currentJava(), "-cp", ServerProcess.jar().toString(),
                "dev.asyncprod.server.Main"), "--port=0", "--admin-port=0", "--mode=virtual-loop");

        assertThat(r.exitCode).isEqualTo(1);
        assertThat(r.output.lines().filter(l -> l.startsWith("error:"))).singleElement().asString()
                .startsWith("error: cannot start: --mode virtual-loop needs the JVM flag --add-opens java.base/java.lang=ALL-UNNAMED");
        assertThat(r.output).doesNotContain("\tat ");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... flags) throws IOException, InterruptedException {
        return run(List.of(ServerJarProcess.currentJava(), "-jar", ServerProcess.jar().toString()), flags);
    }

    private static Result run(List<String> java, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of(flags));
        ChildProcess.Outcome outcome = ChildProcess.run(new ProcessBuilder(command), Duration.ofSeconds(30));
        return new Result(outcome.exit(), outcome.output());
    }
}
