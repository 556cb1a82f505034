package dev.asyncprod.base.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A command run to its end from a test, bounded. Its output goes to a file, not a pipe the test
 * reads: a blocking read ignores the interrupt a test timeout sends, so a child that never ended
 * would hold the test past it. Standard error is merged into the output.
 */
public final class ChildProcess {

    /** What {@link Outcome#exit()} is for a command killed at its limit. */
    public static final int KILLED = -1;

    /** What the command did: its exit code ({@link #KILLED} past the limit) and everything it printed. */
    public record Outcome(int exit, String output) {

        public boolean killed() {
            return exit == KILLED;
        }
    }

    private ChildProcess() {
    }

    /** Runs {@code builder}'s command (its directory, environment and input as set) for at most {@code limit}. */
    public static Outcome run(ProcessBuilder builder, Duration limit) throws IOException, InterruptedException {
        Path output = Files.createTempFile("child-", ".out");
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            return ended ? new Outcome(process.exitValue(), printed)
                    : new Outcome(KILLED, printed + "\n(killed: still running after " + limit.toSeconds() + " s: "
                            + String.join(" ", builder.command()) + ")");
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
