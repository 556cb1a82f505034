package dev.asyncprod.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A complete answer: status, headers (names lower-cased) and the whole body.
 *
 * @param elapsedNanos from handing the request to the connection until the last byte arrived
 */
public record ClientResponse(int status, Map<String, List<String>> headers, byte[] body, long elapsedNanos) {

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
