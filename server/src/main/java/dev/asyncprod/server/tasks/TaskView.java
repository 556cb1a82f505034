package dev.asyncprod.server.tasks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads the registry for {@code /debug/tasks}: a page of root tasks with their trees, as JSON-ready
 * maps (schema {@value #SCHEMA_VERSION}, {@code tasks.schema.json}) or as a {@code pstree}-like
 * text. Every read runs on the {@code tasks-view} thread, never on a serving event loop, and a
 * burst of readers beyond a few queued is refused rather than queued without bound.
 */
public final class TaskView implements AutoCloseable {

    /** The JSON's {@code schema_version}: raised when a field changes meaning or goes away. */
    public static final int SCHEMA_VERSION = 1;
    /** Readers waiting for the view thread; one more is refused (the endpoint answers 503). */
    static final int QUEUED_READS = 8;

    private final TaskRegistry registry;
    private final String mode;
    private final ExecutorService thread;

    public TaskView(TaskRegistry registry, String mode) {
        this.registry = registry;
        this.mode = mode;
        ThreadPoolExecutor view = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUED_READS), r -> {
            Thread t = new Thread(r, "tasks-view");
            t.setDaemon(true);
            return t;
        });
        // Started here, not by the first reader: Thread.start waits for the new thread to run, and the
        // first reader is an event loop (the admin listener's), which would wait with it.
        view.prestartCoreThread();
        this.thread = view;
    }

    /**
     * The page {@code query} selects, as {@code GET /debug/tasks} answers it, turned into what the
     * caller sends by {@code render} on the view's thread too: the serving loop only writes it.
     */
    public <T> CompletableFuture<T> list(TaskQuery query, Function<Map<String, Object>, T> render) {
        return onViewThread(() -> render.apply(page(query)));
    }

    /** The same page as an indented tree of plain text lines. */
    public <T> CompletableFuture<T> tree(TaskQuery query, Function<String, T> render) {
        return onViewThread(() -> render.apply(TaskTree.render(page(query))));
    }

    /** One task in full (its tree, and where its thread is now or what its future waits for), or empty. */
    public <T> CompletableFuture<Optional<T>> where(long id, Function<Map<String, Object>, T> render) {
        return onViewThread(() -> registry.find(id)
                .map(task -> render.apply(TaskWhere.describe(task, json(task, System.nanoTime())))));
    }

    public CompletableFuture<Map<String, Object>> list(TaskQuery query) {
        return list(query, Function.identity());
    }

    public CompletableFuture<String> tree(TaskQuery query) {
        return tree(query, Function.identity());
    }

    public CompletableFuture<Optional<Map<String, Object>>> where(long id) {
        return where(id, Function.identity());
    }

    private <T> CompletableFuture<T> onViewThread(java.util.function.Supplier<T> read) {
        try {
            return CompletableFuture.supplyAsync(read, thread);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.failedFuture(busy);
        }
    }

    Map<String, Object> page(TaskQuery query) {
        long now = System.nanoTime();
        List<Task> roots = query.finished() ? registry.finishedNewestFirst() : liveRootsOldestFirst();
        List<Map<String, Object>> shown = new ArrayList<>();
        int matched = 0;
        for (Task root : roots) {
            if (query.matches(root, now)) {
                if (++matched <= query.limit()) {
                    shown.add(json(root, now));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema_version", SCHEMA_VERSION);
        out.put("mode", mode);
        out.put("at", Instant.now().toString());
        out.put("view", query.finished() ? "finished" : "live");
        out.put("total", roots.size() - (roots.stream().anyMatch(t -> t.id == query.reader()) ? 1 : 0));
        out.put("matched", matched);
        out.put("shown", shown.size());
        out.put("left_out", matched - shown.size());
        out.put("finished_capacity", registry.finishedCapacity());
        out.put("lints", registry.lintCounts());
        out.put("tasks", shown);
        return out;
    }

    /** Roots, and tasks whose parent has finished (orphans): everything live that no live task holds. */
    private List<Task> liveRootsOldestFirst() {
        List<Task> roots = new ArrayList<>();
        for (Task t : registry.live()) {
            if (t.parent == null || t.parent.state == TaskState.DONE) {
                roots.add(t);
            }
        }
        roots.sort(Comparator.comparingLong((Task t) -> t.startNanos).thenComparingLong(t -> t.id));
        return roots;
    }

    static Map<String, Object> json(Task t, long now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id);
        out.put("parent_id", t.parent == null ? null : t.parent.id);
        out.put("kind", t.kind.label());
        out.put("name", t.name());
        out.put("mode", t.mode);
        TaskState state = TaskThreads.shownState(t);
        out.put("state", state.label());
        out.put("waiting_on", state == TaskState.WAITING || state == TaskState.QUEUED ? waitingOn(t, now) : null);
        // From the monotonic start, not a wall-clock read per task: the request path pays for neither.
        out.put("started_at", Instant.ofEpochMilli(System.currentTimeMillis() - (now - t.startNanos) / 1_000_000).toString());
        long end = t.state == TaskState.DONE ? t.endNanos : now;
        out.put("age_ms", Math.max(0, (end - t.startNanos) / 1_000_000));
        out.put("busy_us", t.busyNanos(now) / 1_000);
        out.put("cpu_us", cpuMicros(t));
        Thread thread = t.thread;
        out.put("thread", thread == null ? null : TaskThreads.describe(thread));
        if (t.request != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", t.request.id());
            r.put("trace_id", t.request.traceId().get());
            r.put("method", t.request.method());
            r.put("target", t.request.target());
            r.put("protocol", t.request.protocol());
            r.put("connection", t.request.connection());
            out.put("request", r);
        }
        if (t.detail != null) {
            out.put("detail", t.detail);
        }
        List<String> lints = new ArrayList<>();
        for (Lint lint : Lint.values()) {
            if (t.has(lint)) {
                lints.add(lint.label());
            }
        }
        out.put("lints", lints);
        Outcome outcome = t.outcome;
        if (outcome != null) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("status", outcome.status() > 0 ? outcome.status() : null);
            o.put("error", outcome.error());
            o.put("cancelled", outcome.cancelled());
            o.put("summary", outcome.describe());
            out.put("outcome", o);
        }
        List<Map<String, Object>> children = new ArrayList<>();
        for (Task child : t.children()) {
            children.add(json(child, now));
        }
        out.put("children", children);
        out.put("children_left_out", t.childrenDropped());
        return out;
    }

    /** What a waiting task waits on; a task that registered nothing waits on its children or its parked thread. */
    private static String waitingOn(Task t, long now) {
        Wait w = t.waitingOn;
        if (w != null) {
            return w.describe(now);
        }
        if (t.state == TaskState.QUEUED) {
            return "a thread to start on";
        }
        long running = t.unfinishedChildren();
        if (running > 0) {
            return "its children (" + running + " not done)";
        }
        Thread th = t.thread;
        if (t.kind == TaskKind.REQUEST && (th == null || TaskThreads.isEventLoop(th))) {
            return "its answer";
        }
        return th == null ? "a thread" : "thread parked (" + th.getState() + "), no wait registered";
    }

    /** A platform thread's CPU time in this task; null for an event-loop task (see busy) and a virtual thread (the JDK has none). */
    private static Long cpuMicros(Task t) {
        long done = t.cpuNanos;
        long mark = t.cpuMark;
        long running = mark >= 0 && t.state != TaskState.DONE ? TaskClock.cpuNanos(t.thread) - mark : 0;
        if (done < 0 && mark < 0) {
            return null;
        }
        return (Math.max(0, done) + Math.max(0, running)) / 1_000;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
