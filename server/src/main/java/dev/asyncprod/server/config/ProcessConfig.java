package dev.asyncprod.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The process's own folder and how it stops. From {@link ProcessOptions}, where the defaults and
 * their sources are.
 *
 * @param dataDir         the process's own folder: its lock, the port it listens on, the SQLite job store
 * @param shutdownTimeout on SIGTERM or SIGINT, how long requests in flight may take to finish
 * @param drainDelay      on SIGTERM, how long readiness is 503 before the drain begins
 */
public record ProcessConfig(Path dataDir, Duration shutdownTimeout, Duration drainDelay) {
}
