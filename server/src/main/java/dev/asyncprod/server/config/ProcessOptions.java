package dev.asyncprod.server.config;

import dev.asyncprod.common.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of the process itself: its own folder, and how it stops. */
final class ProcessOptions implements OptionGroup {

    @Option(names = "--data-dir", defaultValue = "${env:DATA_DIR:-data}",
            description = "The process's own folder: the SQLite job store, its lock, the port it listens on (for a"
                    + " container's HEALTHCHECK when --port is a range), the self-signed certificate; one server process"
                    + " per folder, enforced by the lock.")
    Path dataDir;

    @Option(names = "--shutdown-timeout", defaultValue = "${env:SHUTDOWN_TIMEOUT:-30s}", converter = DurationConverter.class,
            description = "On SIGTERM or SIGINT, how long requests in flight may take to finish. The default is"
                    + " Kubernetes' terminationGracePeriodSeconds, so a drain fits inside the pod's grace.")
    Duration shutdownTimeout;

    @Option(names = "--drain-delay", defaultValue = "${env:DRAIN_DELAY:-0s}", converter = DurationConverter.class,
            description = "On SIGTERM, how long readiness (/health/ready) answers 503 while the server still accepts,"
                    + " before the drain. The default is no delay; behind Kubernetes, give it a few seconds: its"
                    + " endpoints take that long to update.")
    Duration drainDelay;

    @Override
    public String heading() {
        return "Process and shutdown";
    }

    ProcessConfig toConfig(FlagCheck check) {
        check.require(!drainDelay.isNegative(), "--drain-delay must not be negative");
        return new ProcessConfig(dataDir, shutdownTimeout, drainDelay);
    }
}
