package dev.asyncprod.server.email.smtp;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * At most N holders at once; the rest wait in order without holding a thread. A released permit
 * passes straight to the oldest waiter. The lock guards a counter and a queue for nanoseconds and
 * is never held while a waiter's continuation runs.
 */
final class ConnectionLimiter {

    private final int limit;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int held;

    ConnectionLimiter(int limit) {
        this.limit = limit;
    }

    /** Completes when a permit is this caller's; it must {@link #release()} it exactly once. */
    CompletableFuture<Void> acquire() {
        synchronized (waiters) {
            if (held < limit) {
                held++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> turn = new CompletableFuture<>();
            waiters.addLast(turn);
            return turn;
        }
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (waiters) {
            next = waiters.pollFirst();
            if (next == null) {
                held--;
                return;
            }
        }
        next.complete(null); // the permit changes hands: held stays the same
    }

    int inUse() {
        synchronized (waiters) {
            return held;
        }
    }

    int waiting() {
        synchronized (waiters) {
            return waiters.size();
        }
    }
}
