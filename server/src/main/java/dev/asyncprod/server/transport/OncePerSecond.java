package dev.asyncprod.server.transport;

import java.util.concurrent.atomic.AtomicLong;

/** A log line's limit: at most one per second, saying how many were held back since. Thread-safe. */
final class OncePerSecond {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong last = new AtomicLong(System.nanoTime() - SECOND);
    private final AtomicLong held = new AtomicLong();

    /** -1 if this one is held back; else how many were held back before it. */
    long tryAcquire() {
        long now = System.nanoTime();
        long before = last.get();
        if (now - before >= SECOND && last.compareAndSet(before, now)) {
            return held.getAndSet(0);
        }
        held.incrementAndGet();
        return -1;
    }
}
