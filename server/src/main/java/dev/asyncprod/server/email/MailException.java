package dev.asyncprod.server.email;

/**
 * A delivery attempt that failed. Transient failures (an SMTP 4xx reply, a refused or dropped
 * connection, a timeout) are retried; permanent ones (a 5xx reply) fail the job at once.
 */
public final class MailException extends RuntimeException {

    private final boolean transientFailure;

    private MailException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause, false, false); // an expected outcome, reported by message: no stack trace
        this.transientFailure = transientFailure;
    }

    public static MailException transientFailure(String message) {
        return new MailException(message, true, null);
    }

    public static MailException transientFailure(String message, Throwable cause) {
        return new MailException(message, true, cause);
    }

    public static MailException permanentFailure(String message) {
        return new MailException(message, false, null);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
