package dev.asyncprod.server.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} finished root tasks (aiomonitor's {@code ps-terminated}): a fixed
 * array written round, so memory stays bounded whatever the rate. Adding is two atomic steps and
 * takes no lock; a reader may see a slot just overwritten, which only makes it one newer.
 */
final class FinishedRing {

    private final AtomicReferenceArray<Task> slots;
    private final AtomicLong next = new AtomicLong();

    FinishedRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        slots = new AtomicReferenceArray<>(capacity);
    }

    void add(Task task) {
        slots.set((int) (next.getAndIncrement() % slots.length()), task);
    }

    /** What the ring holds, newest first. */
    List<Task> newestFirst() {
        long end = next.get();
        int n = (int) Math.min(end, slots.length());
        List<Task> out = new ArrayList<>(n);
        for (long i = end - 1; i >= end - n; i--) {
            Task t = slots.get((int) (i % slots.length()));
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** Finished roots ever added. */
    long added() {
        return next.get();
    }

    int capacity() {
        return slots.length();
    }
}
