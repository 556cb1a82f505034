package dev.asyncprod.server.db;

/**
 * The database cannot take this query now: it is unreachable, or every pooled connection stayed
 * busy past {@code --db-pool-wait}. The caller may retry after {@link #retryAfterSeconds()}; the
 * endpoints answer 503 with Retry-After.
 */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public int retryAfterSeconds() {
        return 1;
    }
}
