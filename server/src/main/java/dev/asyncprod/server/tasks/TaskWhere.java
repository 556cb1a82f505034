package dev.asyncprod.server.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where one task is now ({@code GET /debug/tasks/{id}}): the stack of the thread running or
 * parked in it (blocking and virtual; an event loop only while it runs the task's callback), and
 * for async work the future it completes and how many stages wait on it, beside what it waits on.
 */
final class TaskWhere {

    private TaskWhere() {
    }

    static Map<String, Object> describe(Task task, Map<String, Object> json) {
        Map<String, Object> where = new LinkedHashMap<>();
        Thread thread = task.thread;
        boolean onThread = thread != null && task.state != TaskState.DONE && thread.isAlive()
                && (!TaskThreads.isEventLoop(thread) || task.state == TaskState.RUNNING);
        if (onThread) {
            where.put("thread_state", thread.getState().name());
            where.put("stack", stack(thread));
            // The JDK shows a virtual thread's container only in its thread dump (jcmd PID Thread.dump_to_file
            // -format=json); the server starts its virtual threads from a plain factory: the root container.
            where.put("container", thread.isVirtual() ? "root" : null);
        } else {
            where.put("thread_state", null);
            where.put("stack", List.of());
            where.put("container", null);
        }
        CompletableFuture<?> future = task.future;
        if (future != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("done", future.isDone());
            f.put("dependent_stages", future.getNumberOfDependents());
            where.put("future", f);
        } else {
            where.put("future", null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schema_version", TaskView.SCHEMA_VERSION);
        out.put("task", json);
        out.put("where", where);
        return out;
    }

    private static List<String> stack(Thread thread) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : thread.getStackTrace()) {
            frames.add(frame.toString());
        }
        return frames;
    }
}
