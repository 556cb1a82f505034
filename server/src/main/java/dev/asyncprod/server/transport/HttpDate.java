package dev.asyncprod.server.transport;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;

/**
 * The {@code Date} header every response carries (RFC 9110 §6.6.1), formatted once a second and
 * shared: formatting an HTTP date per response would show in the cheapest request's cost.
 */
final class HttpDate {

    private record Stamp(long second, AsciiString value) {
    }

    private static volatile Stamp current = format(System.currentTimeMillis() / 1000);

    private HttpDate() {
    }

    /** The current second, in IMF-fixdate form: {@code Tue, 01 Dec 2026 16:08:23 GMT}. */
    static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.second() != second) {
            stamp = format(second); // two loops racing here both write a correct value
            current = stamp;
        }
        return stamp.value();
    }

    private static Stamp format(long second) {
        return new Stamp(second, AsciiString.cached(DateFormatter.format(new Date(second * 1000))));
    }
}
