package dev.asyncprod.cli;

import dev.asyncprod.common.cli.DurationConverter;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How to reach the admin listener: the bearer token and the time to wait for an answer. */
final class AdminOptions {

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:ADMIN_TOKEN}",
            description = "The admin listener's bearer token. Default: env ADMIN_TOKEN (which, unlike a flag, other users cannot see in ps).")
    String token;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Response timeout, e.g. 500ms, 10s. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    AdminClient open(URI adminBase) {
        return new AdminClient(adminBase, token, timeout);
    }
}
