package dev.asyncprod.server.transport;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * The {@code Date} header every response carries (RFC 9110 §6.6.1), formatted once a second and
 * shared: formatting an HTTP date per response would show in the cheapest request's cost, and so
 * did reading the clock per response to see whether the second had turned (29 ns a read on the
 * benchmark machine). A timer on one event loop turns it, just after each second begins
 * ({@link #tickOn}).
 */
final class HttpDate {

    private static volatile AsciiString current = format(System.currentTimeMillis());

    private HttpDate() {
    }

    /** The current second, in IMF-fixdate form: {@code Tue, 01 Dec 2026 16:08:23 GMT}. */
    static AsciiString now() {
        return current;
    }

    /**
     * Keeps {@link #now} current on {@code loop} until it shuts down: each tick formats the second
     * and sets the next one a millisecond after the next second begins, read off the wall clock, so
     * the ticks do not drift from it. Several servers in one process tick it alike.
     */
    static void tickOn(EventExecutor loop) {
        long now = System.currentTimeMillis();
        current = format(now);
        if (!loop.isShuttingDown()) {
            loop.schedule(() -> tickOn(loop), 1_001 - now % 1_000, TimeUnit.MILLISECONDS);
        }
    }

    private static AsciiString format(long epochMillis) {
        return AsciiString.cached(DateFormatter.format(new Date(epochMillis / 1_000 * 1_000)));
    }
}
