package dev.asyncprod.server.support;

import dev.asyncprod.common.process.ServerJarProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code server/target/server.jar} as a child process, the way a user runs it: for what only a
 * whole process shows (thread counts, exit codes, signals).
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    public static Path jar() {
        return Path.of(System.getProperty("server.jar", "target/server.jar"));
    }

    /** Starts the server on a free loopback port and waits until it prints where it listens. */
    public static ServerJarProcess start(String... flags) throws IOException {
        return ServerJarProcess.start(ServerJarProcess.currentJava(), jar(), List.of(flags), null, Duration.ofSeconds(60));
    }
}
