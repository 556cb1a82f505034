package dev.asyncprod.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.base.testing.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A third-party command-line client (curl, h2load) run against a server, as a user would run it.
 * A test whose tool is not installed is skipped and says which; {@code .ci/run} installs them.
 */
public final class Tool {

    private Tool() {
    }

    /** Skips the test unless {@code name} is on the PATH. */
    public static void require(String name) {
        boolean found = List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
        Assumptions.assumeTrue(found, name + " is not installed (docker/ci-setup.sh installs it)");
    }

    public static ChildProcess.Outcome run(String... command) throws IOException, InterruptedException {
        return run(Duration.ofSeconds(60), command);
    }

    public static ChildProcess.Outcome run(Duration timeout, String... command) throws IOException, InterruptedException {
        require(command[0]);
        ChildProcess.Outcome outcome = ChildProcess.run(new ProcessBuilder(command), timeout);
        assertThat(outcome.killed()).as(String.join(" ", command) + " ended within " + timeout).isFalse();
        return outcome;
    }
}
