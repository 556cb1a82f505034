package dev.asyncprod.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * A request's cancellation signal. Set when the answer is no longer wanted (the request timed out,
 * or the client went away); the work the request started listens here and stops: timers are
 * cancelled, downstream calls aborted, blocking threads interrupted.
 */
public final class Cancellation {

    private final CompletableFuture<String> reason = new CompletableFuture<>();

    /** Cancels once; later calls keep the first reason. */
    public void cancel(String why) {
        reason.complete(why);
    }

    public boolean isCancelled() {
        return reason.isDone();
    }

    /** Runs {@code action} on cancellation, at once if it already happened; on the cancelling thread. */
    public void onCancel(Runnable action) {
        reason.thenRun(action);
    }
}
