package dev.asyncprod.server.tasks;

import java.util.Locale;

/** Where a task is, as the view names it. */
public enum TaskState {
    /** Accepted, not started: in the blocking pool's queue, or a child not yet given a thread. */
    QUEUED,
    /** Holding a thread: an event loop running its callback, or its own thread running its body. */
    RUNNING,
    /** Holding no thread, or a thread parked: on a timer, a downstream answer, a pool, a query, its children. */
    WAITING,
    /** Finished: a child of a request still in flight, or a task in the finished ring. */
    DONE;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /** The state a view filter names, or null. */
    public static TaskState byLabel(String label) {
        for (TaskState state : values()) {
            if (state.label.equals(label)) {
                return state;
            }
        }
        return null;
    }
}
