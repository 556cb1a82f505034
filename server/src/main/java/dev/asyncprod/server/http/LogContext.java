package dev.asyncprod.server.http;

import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * The request context that log lines carry ("which coroutine spawned which", asyncio's old pain):
 * the request's id and, for a child task, its own id and its parent's; and the trace and span the
 * line belongs to (W3C Trace Context), for tracing systems. The MDC is per thread, so every hop to
 * another thread or a later callback carries it over explicitly: {@link #capture} wraps a task with
 * the context current where it was created. Only these four keys are saved and restored: this runs
 * several times per request, and copying whole MDC maps would show in the benchmarks.
 */
public final class LogContext {

    public static final String ID = "request_id";
    public static final String PARENT = "parent_id";
    public static final String TRACE = "trace_id";
    public static final String SPAN = "span_id";

    private LogContext() {
    }

    /** A request's own context. */
    public static Scope open(Request request) {
        return open(request.id(), null, request.trace());
    }

    /** Sets the context for the current thread until the returned scope closes; {@code parentId} may be null. */
    public static Scope open(String id, String parentId, TraceContext trace) {
        String previousId = MDC.get(ID);
        if (previousId == null) { // the usual case on an event loop or a pool thread: nothing to restore
            set(id, parentId, trace.traceId(), trace.spanId());
            return LogContext::clear;
        }
        String previousParent = MDC.get(PARENT);
        String previousTrace = MDC.get(TRACE);
        String previousSpan = MDC.get(SPAN);
        set(id, parentId, trace.traceId(), trace.spanId());
        return () -> set(previousId, previousParent, previousTrace, previousSpan);
    }

    /** The id of child {@code index} (1-based) of {@code parentId}: {@code parent.index}. */
    public static String childId(String parentId, int index) {
        return parentId + "." + index;
    }

    /**
     * Wraps {@code task} to run with {@code request}'s context on whatever thread runs it: how a
     * request's work carries its ids to a pool thread or a later timer, without the event loop
     * having to set them first.
     */
    public static Runnable capture(Request request, Runnable task) {
        return () -> {
            try (Scope scope = open(request)) {
                task.run();
            }
        };
    }

    /** Wraps {@code task} to run with the context of the calling thread, on whatever thread runs it. */
    public static Runnable capture(Runnable task) {
        String[] context = current();
        if (context == null) {
            return task;
        }
        return () -> {
            String[] previous = current();
            set(context[0], context[1], context[2], context[3]);
            try {
                task.run();
            } finally {
                restore(previous);
            }
        };
    }

    public static <T> Callable<T> capture(Callable<T> task) {
        String[] context = current();
        if (context == null) {
            return task;
        }
        return () -> {
            String[] previous = current();
            set(context[0], context[1], context[2], context[3]);
            try {
                return task.call();
            } finally {
                restore(previous);
            }
        };
    }

    private static String[] current() {
        String id = MDC.get(ID);
        return id == null ? null : new String[] {id, MDC.get(PARENT), MDC.get(TRACE), MDC.get(SPAN)};
    }

    private static void clear() {
        set(null, null, null, null);
    }

    private static void restore(String[] previous) {
        if (previous == null) {
            clear();
        } else {
            set(previous[0], previous[1], previous[2], previous[3]);
        }
    }

    private static void set(String id, String parentId, String traceId, String spanId) {
        put(ID, id);
        put(PARENT, parentId);
        put(TRACE, traceId);
        put(SPAN, spanId);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** A context that ends when closed; closing restores what the thread had before. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
