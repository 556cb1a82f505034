package dev.asyncprod.server.http;

import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * The request context that log lines carry (the seed's "which coroutine spawned which"): the
 * request's id, and for a child task its own id and its parent's. The MDC is per thread, so every
 * hop to another thread or a later callback carries it over explicitly: {@link #capture} wraps a
 * task with the context current where it was created.
 */
public final class LogContext {

    public static final String ID = "request_id";
    public static final String PARENT = "parent_id";

    private LogContext() {
    }

    /** Sets the context for the current thread until the returned scope closes. */
    public static Scope open(String id, String parentId) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put(ID, id);
        if (parentId != null) {
            MDC.put(PARENT, parentId);
        } else {
            MDC.remove(PARENT);
        }
        return () -> restore(previous);
    }

    /** The id of child {@code index} (1-based) of {@code parentId}: {@code parent.index}. */
    public static String childId(String parentId, int index) {
        return parentId + "." + index;
    }

    /** Wraps {@code task} to run with the context of the calling thread, on whatever thread runs it. */
    public static Runnable capture(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            set(context);
            try {
                task.run();
            } finally {
                restore(previous);
            }
        };
    }

    public static <T> Callable<T> capture(Callable<T> task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            set(context);
            try {
                return task.call();
            } finally {
                restore(previous);
            }
        };
    }

    private static void set(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }

    private static void restore(Map<String, String> previous) {
        set(previous);
    }

    /** A context that ends when closed; closing restores what the thread had before. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
