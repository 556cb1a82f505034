package dev.asyncprod.server.tasks;

import java.util.Locale;

/**
 * Something wrong with a task that the server can see and the programmer cannot (tokio-console's
 * lints, for this server's pitfalls). Each is set on the task once and counted in
 * {@code tasks_lints_total}.
 */
public enum Lint {
    /** One of its callbacks held an event loop past {@code --blocked-threshold}. */
    BLOCKED_LOOP,
    /** Still running after its request was answered: nobody waits for it any more. */
    ORPHAN,
    /** Older than the request timeout: a future nobody completes, or a wait nothing bounds. */
    STUCK,
    /** A virtual thread that stayed pinned to its carrier while it blocked (JFR's {@code jdk.VirtualThreadPinned}). */
    PINNED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
