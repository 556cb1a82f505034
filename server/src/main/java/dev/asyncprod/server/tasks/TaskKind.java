package dev.asyncprod.server.tasks;

import java.util.Locale;

/** What a task is, as the view names it ({@link #label()}). */
public enum TaskKind {
    /** An HTTP request in flight: always a root. */
    REQUEST,
    /** An email delivery attempt: a background root, linked to the request that accepted the job. */
    DELIVERY,
    /** One {@code /gather} sleeper. */
    SLEEPER,
    /** One downstream HTTP call ({@code /fanout}). */
    HTTP_CALL,
    /** A database query, from the wait for a pooled connection to its last row. */
    QUERY,
    /** A job-store write the request waits for (the job made durable before its 202). */
    COMMIT;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /** The kind a view filter names, or null. */
    public static TaskKind byLabel(String label) {
        for (TaskKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        return null;
    }
}
