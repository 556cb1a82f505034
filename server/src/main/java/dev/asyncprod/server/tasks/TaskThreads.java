package dev.asyncprod.server.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the view says of a thread: its name, its kind, and a virtual thread's carrier. */
final class TaskThreads {

    private TaskThreads() {
    }

    /** The server's loops ({@code event-loop-N}, the acceptor) and the async database driver's. */
    static boolean isEventLoop(Thread thread) {
        String name = thread.getName();
        return name.startsWith("event-loop-") || name.startsWith("vert.x-eventloop-thread-");
    }

    /**
     * The state as the view shows it: a task whose own thread is parked where the server registered
     * no wait (a {@code Future.get} on its children, a lock) is waiting, not running.
     */
    static TaskState shownState(Task task) {
        TaskState s = task.state;
        Thread th = task.thread;
        if (s == TaskState.RUNNING && th != null && !isEventLoop(th)) {
            Thread.State ts = th.getState();
            if (ts == Thread.State.WAITING || ts == Thread.State.TIMED_WAITING || ts == Thread.State.BLOCKED) {
                return TaskState.WAITING;
            }
        }
        return s;
    }

    static String kind(Thread thread) {
        return thread.isVirtual() ? "virtual" : isEventLoop(thread) ? "event_loop" : "platform";
    }

    /**
     * The carrier a virtual thread is mounted on now, or null. The JDK has no API for it; its
     * {@code toString} names it ({@code VirtualThread[#31,virtual-1]/runnable@ForkJoinPool-1-worker-1}).
     */
    static String carrier(Thread thread) {
        if (!thread.isVirtual()) {
            return null;
        }
        String s = thread.toString();
        int at = s.lastIndexOf('@');
        return at < 0 ? null : s.substring(at + 1);
    }

    static Map<String, Object> describe(Thread thread) {
        Map<String, Object> out = new LinkedHashMap<>();
        String name = thread.getName();
        out.put("name", name.isEmpty() ? "#" + thread.threadId() : name);
        out.put("kind", kind(thread));
        out.put("carrier", carrier(thread));
        out.put("alive", thread.isAlive());
        return out;
    }
}
