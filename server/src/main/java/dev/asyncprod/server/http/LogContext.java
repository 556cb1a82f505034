package dev.asyncprod.server.http;

import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * The request context that log lines carry ("which coroutine spawned which", asyncio's old pain): the
 * request's id, and for a child task its own id and its parent's. The MDC is per thread, so every
 * hop to another thread or a later callback carries it over explicitly: {@link #capture} wraps a
 * task with the context current where it was created. Only these two keys are saved and restored:
 * this runs several times per request, and copying whole MDC maps would show in the benchmarks.
 */
public final class LogContext {

    public static final String ID = "request_id";
    public static final String PARENT = "parent_id";

    private LogContext() {
    }

    /** Sets the context for the current thread until the returned scope closes. */
    public static Scope open(String id, String parentId) {
        String previousId = MDC.get(ID);
        String previousParent = MDC.get(PARENT);
        set(id, parentId);
        return () -> set(previousId, previousParent);
    }

    /** The id of child {@code index} (1-based) of {@code parentId}: {@code parent.index}. */
    public static String childId(String parentId, int index) {
        return parentId + "." + index;
    }

    /** Wraps {@code task} to run with the context of the calling thread, on whatever thread runs it. */
    public static Runnable capture(Runnable task) {
        String id = MDC.get(ID);
        String parent = MDC.get(PARENT);
        if (id == null) {
            return task;
        }
        return () -> {
            try (Scope scope = open(id, parent)) {
                task.run();
            }
        };
    }

    public static <T> Callable<T> capture(Callable<T> task) {
        String id = MDC.get(ID);
        String parent = MDC.get(PARENT);
        if (id == null) {
            return task;
        }
        return () -> {
            try (Scope scope = open(id, parent)) {
                return task.call();
            }
        };
    }

    private static void set(String id, String parentId) {
        put(ID, id);
        put(PARENT, parentId);
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
