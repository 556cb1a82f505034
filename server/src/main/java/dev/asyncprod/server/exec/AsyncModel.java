package dev.asyncprod.server.exec;

import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.Wait;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs the async body on the channel's event loop. */
final class AsyncModel implements ExecutionModel {

    @Override
    public String name() {
        return "async";
    }

    @Override
    public <P> CompletableFuture<Response> execute(Endpoint<P> endpoint, P params, Request request, EventLoop eventLoop) {
        request.task().mode("async");
        return call(() -> endpoint.handleAsync(params, new Context(request, eventLoop)), endpoint.getClass().getSimpleName());
    }

    /** A body that throws instead of failing its future, or returns none, still ends in a failed future. */
    private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> body, String what) {
        try {
            CompletableFuture<T> result = body.get();
            return result != null ? result : CompletableFuture.failedFuture(new IllegalStateException(what + " returned no future"));
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    @Override
    public BackgroundWork background(String threadName, int concurrency) {
        return new BackgroundWork() {
            @Override
            public <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> async, Callable<T> blocking) {
                return call(async, threadName);
            }

            @Override
            public void close() {
                // Callbacks on the event loops: nothing of its own to stop.
            }
        };
    }

    @Override
    public boolean runsBlockingBodies() {
        return false;
    }

    @Override
    public String describe() {
        return "none: handlers run on the event loops";
    }

    @Override
    public Map<String, Object> facts() {
        return Map.of("blocking_threads", 0);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // No pool: nothing to measure beyond the event loops, which the watchdog reports.
    }

    @Override
    public void close() {
        // Nothing of its own: the event loops belong to the transport.
    }

    private record Context(Request request, EventLoop eventLoop) implements AsyncContext {

        @Override
        public String mode() {
            return "async";
        }

        @Override
        public CompletableFuture<Void> delay(Task waiter, long millis) {
            if (millis <= 0) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiter.awaiting(Wait.timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis)));
            waiter.watch(done);
            // The timer's callbacks run later, on the loop: they log with the request's context, and
            // the time they hold the loop is the waiter's.
            ScheduledFuture<?> timer = eventLoop.schedule(LogContext.capture(request, () -> {
                try (Task.Scope running = waiter.enter()) {
                    done.complete(null);
                }
            }), millis, TimeUnit.MILLISECONDS);
            request.cancellation().onCancel(() -> {
                timer.cancel(false);
                done.cancel(false);
            });
            return done;
        }
    }
}
