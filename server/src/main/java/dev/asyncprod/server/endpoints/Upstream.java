package dev.asyncprod.server.endpoints;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.BlockingHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The downstream service that {@code /fanout} calls, fixed by configuration: no request can make
 * the server call an address of its choosing.
 *
 * @param base        the upstream's root; resolved per call because the default (the server
 *                    itself) is known only once the port is bound
 * @param callTimeout the longest one call may take
 * @param deadline    the longest a whole fan-out may take
 */
public record Upstream(AsyncHttpClient async, BlockingHttpClient blocking, Supplier<URI> base,
                       Duration callTimeout, Duration deadline) {
}
