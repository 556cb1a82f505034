package dev.asyncprod.server.tasks;

/**
 * A task's callback on an event loop (async mode: its body, a timer's callback, a downstream
 * answer): {@code running} while the callback holds the loop, its time added to the task's busy
 * time, and a callback held past the blocked threshold linted {@link Lint#BLOCKED_LOOP}.
 */
final class LoopCallback {

    private LoopCallback() {
    }

    /** Called for a live, unfinished task, at {@code start} (nanoTime); the scope restores the thread's previous task. */
    static Task.Scope enter(Task task, long start) {
        Task previous = Task.CURRENT.get();
        if (previous == task) {
            return Task.Scope.NOTHING; // already inside this task's callback
        }
        Task.CURRENT.set(task);
        Thread me = Thread.currentThread();
        task.thread = me;
        task.startRunning(start);
        return () -> {
            long now = System.nanoTime();
            long held = now - start;
            if (task.thread == me) {
                task.stopRunning(now, task.state == TaskState.DONE ? TaskState.DONE : TaskState.WAITING);
            } else {
                task.addBusy(held); // its body's own thread took it over meanwhile (blocking, virtual): that thread owns the state
            }
            Task.CURRENT.set(previous);
            TaskRegistry r = task.registry;
            if (r != null && held > r.blockedThresholdNanos() && TaskThreads.isEventLoop(me)) {
                r.lint(task, Lint.BLOCKED_LOOP);
            }
        };
    }
}
