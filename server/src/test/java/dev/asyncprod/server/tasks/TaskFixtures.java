package dev.asyncprod.server.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.base.testing.BoundedJoin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What the tasks room's tests share: request facts as a connection would give them, the view's
 * answers read back as the JSON a user of {@code /debug/tasks} reads, and queries by name.
 */
final class TaskFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private TaskFixtures() {
    }

    static RequestFacts facts(String method, String target) {
        return new RequestFacts("req-" + REQUESTS.incrementAndGet(), () -> TRACE_ID, method, target, "HTTP/1.1",
                "127.0.0.1:40000 [id: 0xcafe]");
    }

    /** A live request root, as the transport registers one, started {@code agoMillis} before now. */
    static Task request(TaskRegistry registry, String target, long agoMillis) {
        Task root = registry.register(Task.request(facts("GET", target), System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(agoMillis)));
        root.mode("async");
        return root;
    }

    static TaskQuery live() {
        return new TaskQuery(0, null, null, null, TaskQuery.DEFAULT_LIMIT, false, 0);
    }

    static TaskQuery finished() {
        return new TaskQuery(0, null, null, null, TaskQuery.DEFAULT_LIMIT, true, 0);
    }

    /** The page as GET /debug/tasks answers it, read on the view's own thread. */
    static JsonNode list(TaskView view, TaskQuery query) {
        return JSON.valueToTree(BoundedJoin.join(view.list(query)));
    }

    static JsonNode where(TaskView view, long id) {
        return JSON.valueToTree(BoundedJoin.join(view.where(id)).orElseThrow(() -> new AssertionError("no task " + id)));
    }

    /** The ids of the page's roots, in the page's order. */
    static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("tasks").forEach(t -> ids.add(t.get("id").asLong()));
        return ids;
    }

    /** The task with {@code id} anywhere in the page's trees. */
    static JsonNode task(JsonNode page, long id) {
        for (JsonNode root : page.get("tasks")) {
            JsonNode found = find(root, id);
            if (found != null) {
                return found;
            }
        }
        throw new AssertionError("no task " + id + " in " + page.toPrettyString());
    }

    private static JsonNode find(JsonNode task, long id) {
        if (task.get("id").asLong() == id) {
            return task;
        }
        for (JsonNode child : task.get("children")) {
            JsonNode found = find(child, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Holds the current thread busy (running, not parked) for at least {@code d}: a callback's work. */
    static void spin(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** Holds the current thread busy until it has used {@code d} of CPU time (a platform thread; the JDK must measure it). */
    static void spinCpu(Duration d) {
        long start = TaskClock.cpuNanos();
        if (start < 0) {
            throw new IllegalStateException("no CPU time for this thread");
        }
        while (TaskClock.cpuNanos() - start < d.toNanos()) {
            Thread.onSpinWait();
        }
    }

    /** Parks the current thread for at least {@code d}: the blocking call a task registered a wait for. */
    static void blockFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
