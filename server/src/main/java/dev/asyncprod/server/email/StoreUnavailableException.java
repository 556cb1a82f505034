package dev.asyncprod.server.email;

/**
 * The job store cannot take work now: too many writes are waiting, or the database cannot be
 * reached. Nothing was stored; the caller may retry after {@link #retryAfterSeconds()}.
 */
public final class StoreUnavailableException extends RuntimeException {

    private final int retryAfterSeconds;

    public StoreUnavailableException(String message, int retryAfterSeconds) {
        super(message, null, false, false); // an expected outcome under overload or an outage
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
