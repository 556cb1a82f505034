package dev.asyncprod.server.tasks;

import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * What a task waits on, in words a user reads. Described when the view is read, not when the
 * wait begins, so a timer says how long it has left and a queue where the task stands now.
 */
@FunctionalInterface
public interface Wait {

    /** The description at {@code nowNanos} ({@link System#nanoTime()}). */
    String describe(long nowNanos);

    /** A fixed description: {@code SMTP 127.0.0.1:2525}, {@code job store commit}. */
    static Wait on(String what) {
        return now -> what;
    }

    /** {@code timer, due in 1,200 ms}, counted down as it is read. */
    static Wait timer(long dueNanos) {
        return now -> "timer, due in " + String.format(Locale.ROOT, "%,d", Math.max(0, (dueNanos - now) / 1_000_000)) + " ms";
    }

    /** {@code database pool (10 of 10 in use)}: a pool's name, and how full it is when read. */
    static Wait pool(String name, IntSupplier inUse, int size) {
        return now -> name + " (" + inUse.getAsInt() + " of " + size + " in use)";
    }

    /** {@code blocking pool queue (position 3)}; position 0 or less means it is being taken off the queue. */
    static Wait queue(String name, IntSupplier position) {
        return now -> {
            int at = position.getAsInt();
            return at > 0 ? name + " (position " + at + ")" : name;
        };
    }
}
