package dev.asyncprod.client;

import dev.asyncprod.base.HttpUris;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request. Timeouts left null take the client's defaults.
 *
 * <pre>{@code ClientRequest.get(URI.create("http://127.0.0.1:8080/hello")).header("X-Request-Id", "a1").build()}</pre>
 */
public record ClientRequest(String method, URI uri, Map<String, String> headers, byte[] body,
                            Duration connectTimeout, Duration responseTimeout) {

    public static Builder get(URI uri) {
        return new Builder("GET", uri);
    }

    public static Builder of(String method, URI uri) {
        return new Builder(method, uri);
    }

    /** {@code host:port} as failures name it. */
    public String authority() {
        return uri.getHost() + ":" + port();
    }

    public int port() {
        return HttpUris.portOf(uri);
    }

    /** An {@code https} URL: the connection is TLS. */
    public boolean secure() {
        return "https".equalsIgnoreCase(uri.getScheme());
    }

    /** Path and query, as sent on the request line. */
    public String target() {
        return HttpUris.targetOf(uri);
    }

    public static final class Builder {
        private final String method;
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private Duration connectTimeout;
        private Duration responseTimeout;

        private Builder(String method, URI uri) {
            boolean known = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!known || uri.getHost() == null) {
                throw new IllegalArgumentException("expected an http:// or https://host[:port]/path URI, got " + uri);
            }
            this.method = method;
            this.uri = uri;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder body(byte[] bytes) {
            this.body = bytes.clone();
            return this;
        }

        public Builder body(String text) {
            this.body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = timeout;
            return this;
        }

        public ClientRequest build() {
            return new ClientRequest(method, uri, Map.copyOf(headers), body, connectTimeout, responseTimeout);
        }
    }
}
