package dev.asyncprod.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The upstream {@code /fanout} calls. From {@link UpstreamOptions}, where the defaults and their
 * sources are.
 *
 * @param url            the base URL to call, or null for this server itself ({@link ServerConfig#upstreamOrSelf})
 * @param ca             PEM certificates an {@code https} upstream is trusted by, or null for the JDK's store
 * @param callTimeout    the longest one call may take
 * @param fanoutDeadline the longest a whole {@code /fanout} may take
 * @param connections    the most connections open to the upstream at once
 */
public record UpstreamConfig(URI url, Path ca, Duration callTimeout, Duration fanoutDeadline, int connections) {
}
