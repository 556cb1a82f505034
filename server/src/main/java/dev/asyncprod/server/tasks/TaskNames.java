package dev.asyncprod.server.tasks;

/** How a task is named in a log line or a link from other work: by itself and by the request it serves. */
final class TaskNames {

    private TaskNames() {
    }

    /** The root {@code task} descends from (itself for a root). */
    static Task root(Task task) {
        Task t = task;
        while (t.parent != null) {
            t = t.parent;
        }
        return t;
    }

    /** {@code request 4f2a... GET /email (task #12)}: whom {@code task} works for. */
    static String origin(Task task) {
        Task root = root(task);
        return (root.request != null ? "request " + root.request.id() + " " + root.name() : root.kind.label() + " " + root.name())
                + " (task #" + root.id + ")";
    }

    /** {@code task 17 (sleeper task-2) of request 4f2a... GET /gather?ms=2000,5000}: for a log line. */
    static String forLog(Task task) {
        Task root = root(task);
        String self = "task " + task.id + " (" + task.kind.label() + " " + task.name() + ")";
        if (root == task) {
            return task.request != null ? "task " + task.id + " (request " + task.request.id() + " " + task.name() + ")" : self;
        }
        return self + " of " + (root.request != null ? "request " + root.request.id() + " " + root.name() : forLog(root));
    }
}
