package dev.asyncprod.server.http;

/**
 * Work a request starts on its own (a {@code /gather} task, a {@code /fanout} call): an id of its
 * own under the request's ({@code demo-1.2} under {@code demo-1}) and a child span of the
 * request's trace, so its log lines say which request spawned it.
 */
public record ChildTask(String id, String parentId, TraceContext trace) {

    /** Child {@code index} (1-based) of {@code parent}. */
    public static ChildTask of(Request parent, int index) {
        return new ChildTask(LogContext.childId(parent.id(), index), parent.id(), parent.trace().child());
    }

    /** This task's log context on the current thread, until the scope closes. */
    public LogContext.Scope open() {
        return LogContext.open(id, parentId, trace);
    }
}
