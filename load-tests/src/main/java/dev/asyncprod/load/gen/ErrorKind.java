package dev.asyncprod.load.gen;

import java.util.Locale;

/** How a request failed, as the summary and the JSON count them. */
public enum ErrorKind {
    /** The connection could not be opened. */
    CONNECT,
    /** The TLS handshake failed (untrusted certificate, wrong host name, no ALPN h2): counted per attempt. */
    TLS,
    /** The connection closed or broke before the answer was complete. */
    READ,
    /** No complete answer within {@code --timeout}; the connection is replaced. */
    TIMEOUT,
    /** An answer with status 400 or above (its latency is still recorded, as wrk does). */
    STATUS;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
