package dev.asyncprod.server.tasks;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks one task spawned, in the order it spawned them. Finished ones stay for the view, up to
 * {@link #KEPT}; past that they are only counted, so a request of 500 queries holds 64 of them.
 * Guarded by the owning task's lock.
 */
final class Children {

    /** Finished children kept for the view: a screenful of a fan-out, bounded for the largest one. */
    static final int KEPT = 64;

    private final List<Task> list = new ArrayList<>(4);
    private int done;
    private int dropped;

    void add(Task child) {
        list.add(child);
    }

    void finished(Task child) {
        if (++done > KEPT && list.remove(child)) {
            dropped++;
        }
    }

    List<Task> copy() {
        return List.copyOf(list);
    }

    int dropped() {
        return dropped;
    }

    long unfinished() {
        return list.stream().filter(c -> c.state != TaskState.DONE).count();
    }
}
