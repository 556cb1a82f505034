package dev.asyncprod.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A third-party command-line client (curl, h2load) run against a server, as a user would run it.
 * A test whose tool is not installed is skipped and says which; {@code .ci/run} installs them.
 */
public final class Tool {

    /** What a command did: its exit code and everything it printed, both streams together. */
    public record Outcome(int exit, String output) {
    }

    private Tool() {
    }

    /** Skips the test unless {@code name} is on the PATH. */
    public static void require(String name) {
        boolean found = List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
        Assumptions.assumeTrue(found, name + " is not installed (docker/ci-setup.sh installs it)");
    }

    public static Outcome run(String... command) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(60), command);
    }

    public static Outcome run(Duration timeout, String... command) throws IOException, InterruptedException {
        require(command[0]);
        Path output = Files.createTempFile("tool-", ".out");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            assertThat(ended).as(String.join(" ", command) + " ended within " + timeout).isTrue();
            return new Outcome(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
