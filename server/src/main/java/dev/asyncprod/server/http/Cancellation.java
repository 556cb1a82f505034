package dev.asyncprod.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * A request's cancellation signal. Set when the answer is no longer wanted (the request timed out,
 * or the client went away); the work the request started listens here and stops: timers are
 * cancelled, downstream calls aborted, blocking threads interrupted. Most requests are answered
 * before anything listens, so the signal's future is made only when the first listener comes.
 */
public final class Cancellation {

    private CompletableFuture<String> reason; // guarded by this; null until listened to or cancelled

    /** Cancels once; later calls keep the first reason. */
    public void cancel(String why) {
        signal().complete(why);
    }

    public boolean isCancelled() {
        CompletableFuture<String> r;
        synchronized (this) {
            r = reason;
        }
        return r != null && r.isDone();
    }

    /** Runs {@code action} on cancellation, at once if it already happened; on the cancelling thread. */
    public void onCancel(Runnable action) {
        signal().thenRun(action);
    }

    private synchronized CompletableFuture<String> signal() {
        if (reason == null) {
            reason = new CompletableFuture<>();
        }
        return reason;
    }
}
