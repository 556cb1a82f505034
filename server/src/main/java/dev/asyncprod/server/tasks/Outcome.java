package dev.asyncprod.server.tasks;

import dev.asyncprod.base.Causes;
import java.util.concurrent.CancellationException;

/**
 * How a task ended: a request's status, a failure's reason, or why it was cancelled (client gone,
 * request timeout, shutdown). Any part may be absent.
 *
 * @param status    the HTTP status a request was answered with, 0 for none (not a request, or nothing written)
 * @param error     why it failed, or null
 * @param cancelled why it was cancelled, or null
 */
public record Outcome(int status, String error, String cancelled) {

    private static final Outcome OK = new Outcome(0, null, null);

    public static Outcome ok() {
        return OK;
    }

    public static Outcome answered(int status) {
        return new Outcome(status, null, null);
    }

    public static Outcome failed(Throwable failure) {
        return new Outcome(0, String.valueOf(failure), null);
    }

    /**
     * How work that ended with {@code failure} (null: it did not) ends as a task: cancelled when the
     * cause, under any future's wrappers, is a cancellation or an interrupt; else failed with it.
     */
    public static Outcome of(Throwable failure) {
        if (failure == null) {
            return OK;
        }
        Throwable cause = Causes.unwrap(failure);
        if (cause instanceof InterruptedException) {
            return cancelled("interrupted");
        }
        return cause instanceof CancellationException ? cancelled("its request was cancelled") : failed(cause);
    }

    public static Outcome cancelled(String why) {
        return new Outcome(0, null, why);
    }

    /** {@code ok}, {@code status 200}, {@code failed: ...} or {@code cancelled: ...}: one line for the tree. */
    public String describe() {
        if (cancelled != null) {
            return "cancelled: " + cancelled;
        }
        if (error != null) {
            return "failed: " + error;
        }
        return status > 0 ? "status " + status : "ok";
    }
}
