package dev.asyncprod.server.exec;

import dev.asyncprod.server.endpoints.AsyncContext;
import dev.asyncprod.server.endpoints.Endpoint;
import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Runs the async body on the channel's event loop. */
final class AsyncModel implements ExecutionModel {

    @Override
    public String name() {
        return "async";
    }

    @Override
    public <P> CompletableFuture<Response> execute(Endpoint<P> endpoint, P params, Request request, EventLoop eventLoop) {
        try {
            CompletableFuture<Response> result = endpoint.handleAsync(params, new Context(request, eventLoop));
            return result != null ? result : CompletableFuture.failedFuture(
                    new IllegalStateException(endpoint.getClass().getSimpleName() + " returned no future"));
        } catch (Throwable t) {
            // A body that throws instead of failing its future still ends in the one error mapping.
            return CompletableFuture.failedFuture(t);
        }
    }

    @Override
    public String describe() {
        return "none: handlers run on the event loops";
    }

    @Override
    public void addFacts(Json facts) {
        facts.put("blocking_threads", 0);
    }

    @Override
    public Map<String, Supplier<Number>> gauges() {
        return Map.of();
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
        public CompletableFuture<Void> delay(long millis) {
            if (millis <= 0) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            // The timer's callbacks run later, on the loop: they log with the context of whoever waited.
            ScheduledFuture<?> timer = eventLoop.schedule(LogContext.capture(() -> done.complete(null)), millis,
                    TimeUnit.MILLISECONDS);
            request.cancellation().onCancel(() -> {
                timer.cancel(false);
                done.cancel(false);
            });
            return done;
        }
    }
}
