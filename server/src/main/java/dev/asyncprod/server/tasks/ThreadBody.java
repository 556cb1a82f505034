package dev.asyncprod.server.tasks;

import java.util.concurrent.Callable;

/**
 * How a thread's body runs as a task (blocking and virtual modes, deliveries, JDBC queries): the
 * task is {@code running} between its registered waits and {@code waiting} in them, its busy clock
 * counting only the first; a platform thread's CPU time is read around the body. A child that runs
 * or waits on its parent's own thread (the blocking pool runs children inline; a query runs on
 * its request's thread) makes the parent wait on it meanwhile, and its CPU time is not the parent's.
 */
final class ThreadBody {

    private ThreadBody() {
    }

    static <T> T call(Task task, Callable<T> body) throws Exception {
        Task previous = Task.CURRENT.get();
        Task.Waiting parentWaits = parentWaitsOn(task, previous);
        Task.CURRENT.set(task);
        Thread me = Thread.currentThread();
        task.thread = me;
        task.waitingOn = null; // the queue it waited in, if any
        long cpuBefore = me.isVirtual() ? -1 : TaskClock.cpuNanos();
        task.cpuMark = cpuBefore;
        task.startRunning(System.nanoTime());
        try {
            return body.call();
        } finally {
            task.stopRunning(System.nanoTime(), task.state == TaskState.DONE ? TaskState.DONE : TaskState.WAITING);
            if (cpuBefore >= 0) {
                long cpuNow = TaskClock.cpuNanos();
                long mark = task.cpuMark; // moved past any child run inline on this thread
                task.cpuNanos = Math.max(0, task.cpuNanos) + cpuNow - (mark >= 0 ? mark : cpuBefore);
                task.cpuMark = -1;
                if (parentWaits != Task.Waiting.NOTHING && task.parent.cpuMark >= 0) {
                    task.parent.cpuMark += cpuNow - cpuBefore; // the parent waited while its thread ran this child
                }
            }
            Task.CURRENT.set(previous);
            parentWaits.close();
        }
    }

    static Task.Waiting block(Task task, Wait what) {
        task.waitingOn = what;
        if (task.thread == null) {
            task.thread = Thread.currentThread(); // a child that waits on its parent's thread, as a JDBC query does
        }
        Task.Waiting parentWaits = parentWaitsOn(task, Task.CURRENT.get());
        task.stopRunning(System.nanoTime(), TaskState.WAITING);
        return () -> {
            task.waitingOn = null;
            if (task.state != TaskState.DONE) {
                task.startRunning(System.nanoTime());
            }
            parentWaits.close();
        };
    }

    /** The parent's wait on {@code task} when the current thread is the parent's, which it borrows; else nothing. */
    private static Task.Waiting parentWaitsOn(Task task, Task current) {
        return task.parent != null && current == task.parent
                ? task.parent.block(Wait.on(task.kind.label() + " " + task.name() + ", on this thread")) : Task.Waiting.NOTHING;
    }
}
