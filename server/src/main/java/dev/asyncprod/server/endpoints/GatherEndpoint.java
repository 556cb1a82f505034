package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.ChildTask;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.tasks.Outcome;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /gather?ms=2000,5000}: the asyncio example's {@code asyncio.wait([task1, task2])}. One sleeper
 * task per value; the answer reports each task's start and end offsets from the request's start,
 * so whether the tasks overlapped is visible in the body, not only in the total.
 */
public final class GatherEndpoint implements Endpoint<List<Long>> {

    private static final Logger log = LoggerFactory.getLogger(GatherEndpoint.class);

    /** Enough tasks to show overlap clearly, few enough that one request cannot fan out without bound. */
    public static final int MAX_TASKS = 16;

    /** One task: its delay and when it started and ended, in ms from the request's start. */
    record Slept(String name, long delayMs, long startMs, long endMs) {
    }

    record Gathered(String mode, List<Slept> tasks, long totalMs) {
    }

    @Override
    public List<Long> parse(Request request) {
        return request.query().requiredLongList("ms", 1, MAX_TASKS, 0, SleepEndpoint.MAX_MS);
    }

    @Override
    public CompletableFuture<Response> handleAsync(List<Long> delays, AsyncContext ctx) {
        Request request = ctx.request();
        List<CompletableFuture<Slept>> tasks = new ArrayList<>(delays.size());
        for (int i = 0; i < delays.size(); i++) {
            String name = taskName(i);
            ChildTask task = ChildTask.of(request, i + 1);
            Task sleeper = request.task().child(TaskKind.SLEEPER, name);
            long delay = delays.get(i);
            long start = request.elapsedMillis();
            log(task, name + ": START (wait for " + delay + " ms)");
            CompletableFuture<Slept> slept = ctx.delay(sleeper, delay).thenApply(done -> {
                log(task, name + ": END   (wait for " + delay + " ms)");
                return new Slept(name, delay, start, request.elapsedMillis());
            });
            tasks.add(slept.whenComplete((done, failure) -> sleeper.finish(Outcome.of(failure))));
        }
        return CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new))
                .thenApply(all -> answer(tasks.stream().map(t -> t.getNow(null)).toList(), ctx.mode(), request)); // all done: no waiting
    }

    @Override
    public Response handleBlocking(List<Long> delays, BlockingContext ctx) throws Exception {
        Request request = ctx.request();
        List<Task> sleepers = new ArrayList<>(delays.size());
        for (int i = 0; i < delays.size(); i++) { // all registered first: the view shows those not started yet as queued
            sleepers.add(request.task().child(TaskKind.SLEEPER, taskName(i)));
        }
        List<Future<Slept>> tasks = new ArrayList<>(delays.size());
        for (int i = 0; i < delays.size(); i++) {
            String name = taskName(i);
            ChildTask task = ChildTask.of(request, i + 1);
            Task sleeper = sleepers.get(i);
            long delay = delays.get(i);
            tasks.add(ctx.fork(() -> sleeper.callAndFinish(() -> {
                long start = request.elapsedMillis();
                log(task, name + ": START (wait for " + delay + " ms)");
                SleepEndpoint.sleep(sleeper, delay);
                log(task, name + ": END   (wait for " + delay + " ms)");
                return new Slept(name, delay, start, request.elapsedMillis());
            })));
        }
        List<Slept> done = new ArrayList<>(tasks.size());
        try (Task.Waiting children = request.task().awaitChildren()) {
            for (Future<Slept> task : tasks) {
                done.add(task.get());
            }
        }
        return answer(done, ctx.mode(), request);
    }

    /** The sleeper example's log lines, each with the task's own id and span and its parent request's. */
    private static void log(ChildTask task, String message) {
        try (LogContext.Scope scope = task.open()) {
            log.info(message);
        }
    }

    private static String taskName(int index) {
        return "task-" + (index + 1);
    }

    private static Response answer(List<Slept> tasks, String mode, Request request) {
        return Response.json(new Gathered(mode, tasks, request.elapsedMillis()));
    }
}
