package dev.asyncprod.server.config;

import dev.asyncprod.common.cli.DurationConverter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags of the upstream {@code /fanout} calls: where, trusted how, for how long, over how many connections. */
final class UpstreamOptions implements OptionGroup {

    @Option(names = "--upstream", defaultValue = "${env:UPSTREAM:-}",
            description = "Base URL that /fanout calls, http:// or https://, e.g. http://10.0.0.5:8080 or"
                    + " https://api.internal; empty means this server itself.")
    String upstream;

    @Option(names = "--upstream-ca", defaultValue = "${env:UPSTREAM_CA:-}",
            description = "PEM certificates to trust an https --upstream by (a private CA), instead of the JDK's trust"
                    + " store; hostname verification stays on.")
    String upstreamCa;

    @Option(names = "--upstream-timeout", defaultValue = "${env:UPSTREAM_TIMEOUT:-5s}", converter = DurationConverter.class,
            description = "Longest one /fanout call may take. The default is half of --fanout-deadline's, for the"
                    + " same reason.")
    Duration upstreamTimeout;

    @Option(names = "--fanout-deadline", defaultValue = "${env:FANOUT_DEADLINE:-10s}", converter = DurationConverter.class,
            description = "Longest a whole /fanout may take; then 504 with the calls that answered. The default is"
                    + " well inside the 30 s a gateway typically gives the whole request.")
    Duration fanoutDeadline;

    @Option(names = "--upstream-connections", defaultValue = "${env:UPSTREAM_CONNECTIONS:-500}",
            description = "Most connections open to the upstream at once. The default is Reactor Netty's"
                    + " (ConnectionProvider's maxConnections).")
    int upstreamConnections;

    @Override
    public String heading() {
        return "Upstream of /fanout";
    }

    UpstreamConfig toConfig(FlagCheck check) {
        URI url = null;
        if (!upstream.isBlank()) {
            try {
                url = URI.create(upstream.strip());
            } catch (IllegalArgumentException e) {
                url = null;
            }
            check.require(url != null && url.getScheme() != null && url.getScheme().matches("https?") && url.getHost() != null,
                    "--upstream must be an http:// or https://host[:port] URL, got '" + upstream + "'");
        }
        Path ca = upstreamCa.isBlank() ? null : Path.of(upstreamCa.strip());
        check.require(ca == null || Files.isReadable(ca), "--upstream-ca: cannot read " + ca);
        check.require(upstreamTimeout.toMillis() > 0 && fanoutDeadline.toMillis() > 0,
                "--upstream-timeout and --fanout-deadline must be positive");
        check.require(upstreamConnections >= 1, "--upstream-connections must be at least 1");
        return new UpstreamConfig(url, ca, upstreamTimeout, fanoutDeadline, upstreamConnections);
    }
}
