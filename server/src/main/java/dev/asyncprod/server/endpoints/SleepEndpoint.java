package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.Wait;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /sleep?ms=N}: the asyncio example's sleeper. Async: a timer on the event loop, no
 * thread held. Blocking: {@code Thread.sleep}, the thread held for the whole wait.
 */
public final class SleepEndpoint implements Endpoint<Long> {

    /** Upper bound of one wait: a minute keeps a single request from pinning a connection for long. */
    public static final long MAX_MS = 60_000;

    record Slept(long sleptMs, String mode, String thread) {
    }

    @Override
    public Long parse(Request request) {
        return request.query().requiredLong("ms", 0, MAX_MS);
    }

    @Override
    public CompletableFuture<Response> handleAsync(Long ms, AsyncContext ctx) {
        return ctx.delay(ms).thenApply(done -> answer(ms, ctx.mode()));
    }

    @Override
    public Response handleBlocking(Long ms, BlockingContext ctx) throws InterruptedException {
        sleep(Task.current(), ms);
        return answer(ms, ctx.mode());
    }

    /** {@link Thread#sleep} that the task view shows as {@code task} waiting on a timer. */
    static void sleep(Task task, long ms) throws InterruptedException {
        try (Task.Waiting timer = task.block(Wait.timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms)))) {
            Thread.sleep(ms);
        }
    }

    private static Response answer(long ms, String mode) {
        return Response.json(new Slept(ms, mode, Thread.currentThread().getName()));
    }
}
