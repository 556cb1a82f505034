package dev.asyncprod.server.ops;

import java.util.concurrent.atomic.LongAdder;

/** Counts of requests that did not end with their handler's own answer. */
public final class RequestStats {

    private final LongAdder rejected = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder refusedConnections = new LongAdder();

    /** Answered 503 at once: over {@code --max-inflight}, or the blocking pool and its queue were full. */
    public void rejected() {
        rejected.increment();
    }

    /** Answered 504 after {@code --request-timeout}; its work was cancelled. */
    public void timedOut() {
        timedOut.increment();
    }

    /** The client went away before the answer; its work was cancelled. */
    public void cancelled() {
        cancelled.increment();
    }

    /** Closed at accept: over {@code --max-connections}. */
    public void refusedConnection() {
        refusedConnections.increment();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    public long timedOutCount() {
        return timedOut.sum();
    }

    public long cancelledCount() {
        return cancelled.sum();
    }

    public long refusedConnectionCount() {
        return refusedConnections.sum();
    }
}
