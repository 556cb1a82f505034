package dev.asyncprod.client;

/**
 * Why an exchange failed, typed so callers can count and react by {@link Kind} (retry a refused
 * connect, not a malformed answer). The message names the host and what happened.
 */
public final class HttpClientException extends RuntimeException {

    public enum Kind {
        /** Nothing listens there, or the host could not be reached. */
        CONNECT_FAILED,
        /** No connection could be had within the connect timeout (connecting or waiting for the pool). */
        CONNECT_TIMEOUT,
        /** The answer did not arrive within the response timeout. */
        RESPONSE_TIMEOUT,
        /** The server closed the connection before the answer was complete. */
        CLOSED_MID_RESPONSE,
        /** The bytes that came back are not an HTTP response. */
        MALFORMED_RESPONSE,
        /** The body is larger than the configured limit. */
        BODY_TOO_LARGE,
        /** Every connection to the host is busy and the queue of waiting callers is full. */
        POOL_EXHAUSTED,
        /** The TLS handshake failed: an untrusted certificate, one for another host name, no protocol in common. */
        TLS_FAILED
    }

    private final Kind kind;
    private final String host;

    public HttpClientException(Kind kind, String host, String message, Throwable cause) {
        super(host + ": " + message, cause);
        this.kind = kind;
        this.host = host;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code host:port} of the peer. */
    public String host() {
        return host;
    }
}
