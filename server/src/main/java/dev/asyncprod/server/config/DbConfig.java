package dev.asyncprod.server.config;

import java.time.Duration;

/**
 * The database the {@code /db} routes read. From {@link DbOptions}, where the defaults and their
 * sources are.
 *
 * @param url      the PostgreSQL to use, or null for none (or for the embedded one)
 * @param embedded start a throw-away PostgreSQL from the machine's binaries and use it
 * @param pool     connections at most, in every mode
 * @param poolWait how long a request may wait for a free connection before its 503
 */
public record DbConfig(PostgresUrl url, boolean embedded, int pool, Duration poolWait) {

    public boolean enabled() {
        return url != null || embedded;
    }
}
