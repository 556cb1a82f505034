package dev.asyncprod.server.tasks;

/**
 * Which root tasks a view shows. A root matches {@code state} or {@code kind} when it, or any task
 * under it, has that state or kind: {@code kind=query} lists the requests waiting on a query.
 *
 * @param minAgeMillis only roots at least this old
 * @param path         only requests whose path starts with this; null for any
 * @param state        null for any
 * @param kind         null for any
 * @param limit        at most this many roots, oldest first (newest first in the finished ring)
 * @param finished     the finished ring instead of the live set
 * @param reader       the task of the request reading the view, left out of it (0 for none)
 */
public record TaskQuery(long minAgeMillis, String path, TaskState state, TaskKind kind, int limit, boolean finished,
                        long reader) {

    /** A page small enough to read and to serialise at once: 100 roots, as aiomonitor's ps shows a screenful. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest page: the whole finished ring. */
    public static final int MAX_LIMIT = TaskRegistry.DEFAULT_FINISHED;

    public TaskQuery {
        if (minAgeMillis < 0) {
            throw new IllegalArgumentException("min_age must be 0 or more, was " + minAgeMillis);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", was " + limit);
        }
    }

    public static TaskQuery all() {
        return new TaskQuery(0, null, null, null, DEFAULT_LIMIT, false, 0);
    }

    boolean matches(Task root, long now) {
        if (root.id == reader) {
            return false;
        }
        if ((now - root.startNanos) / 1_000_000 < minAgeMillis) {
            return false;
        }
        if (path != null && (root.request == null || !pathOf(root.request.target()).startsWith(path))) {
            return false;
        }
        return (state == null || any(root, t -> TaskThreads.shownState(t) == state)) && (kind == null || any(root, t -> t.kind == kind));
    }

    private static String pathOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    private static boolean any(Task task, java.util.function.Predicate<Task> test) {
        if (test.test(task)) {
            return true;
        }
        for (Task child : task.children()) {
            if (any(child, test)) {
                return true;
            }
        }
        return false;
    }
}
