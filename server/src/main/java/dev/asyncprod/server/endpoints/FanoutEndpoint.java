package dev.asyncprod.server.endpoints;

import dev.asyncprod.base.Causes;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.asyncprod.client.ClientRequest;
import dev.asyncprod.client.ClientResponse;
import dev.asyncprod.client.HttpClientException;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;

import dev.asyncprod.server.http.ChildTask;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.QueryParams;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.RequestIds;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.http.TraceContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import dev.asyncprod.server.tasks.Outcome;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskKind;
import dev.asyncprod.server.tasks.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /fanout?n=K&ms=M}: the most common production pattern. Calls {@code GET
 * {upstream}/sleep?ms=M} K times at once, combines the answers and reports each call's status
 * and latency. A failed call is reported with its reason and the rest still answer (200); if
 * every call fails the answer is 502; if the deadline passes first, 504 with what had answered.
 * Each call's timeout is the smaller of the per-call timeout and what is left of the deadline,
 * so the deadline needs no timer of its own.
 */
public final class FanoutEndpoint implements Endpoint<FanoutEndpoint.Params> {

    private static final Logger log = LoggerFactory.getLogger(FanoutEndpoint.class);

    public static final int MAX_CALLS = 100;

    public record Params(int calls, long ms) {
    }

    /**
     * One call's outcome: {@code status} when an answer came, {@code failed} (a kind) and
     * {@code reason} when the answer is not usable (none, or a status of 500 or more).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Call(int call, Integer status, String failed, String reason, long latencyMs) {

        static Call answered(int index, int status, long latencyMs) {
            return new Call(index, status, null, null, latencyMs);
        }

        static Call failed(int index, Integer status, long latencyMs, String kind, String reason) {
            return new Call(index, status, kind, reason, latencyMs);
        }
    }

    record Fanout(String mode, int calls, long failed, List<Call> results, long totalMs) {
    }

    private final Upstream upstream;

    public FanoutEndpoint(Upstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public Params parse(Request request) {
        QueryParams query = request.query();
        return new Params((int) query.requiredLong("n", 1, MAX_CALLS), query.requiredLong("ms", 0, SleepEndpoint.MAX_MS));
    }

    @Override
    public CompletableFuture<Response> handleAsync(Params params, AsyncContext ctx) {
        long deadline = deadlineNanos(ctx.request());
        List<CompletableFuture<Call>> calls = new ArrayList<>(params.calls());
        List<CompletableFuture<ClientResponse>> exchanges = new ArrayList<>(params.calls());
        for (int i = 1; i <= params.calls(); i++) {
            int index = i;
            ChildTask call = ChildTask.of(ctx.request(), index);
            long sent = System.nanoTime();
            log(call, "call " + index + ": GET /sleep?ms=" + params.ms());
            ClientRequest downstream = request(params, deadline, call);
            Task task = ctx.request().task().child(TaskKind.HTTP_CALL, "call " + index);
            task.awaiting(Wait.on("GET " + downstream.uri()));
            CompletableFuture<ClientResponse> exchange = upstream.async().send(downstream);
            task.watch(exchange);
            exchanges.add(exchange);
            // The answer arrives on the client's event loop: the call logs there with its own ids, and its time there is the call's.
            calls.add(exchange.handle((response, failure) -> {
                try (Task.Scope running = task.enter()) {
                    Call outcome = logged(call, outcome(index, sent, deadline, response, failure));
                    task.finish(taskOutcome(outcome));
                    return outcome;
                }
            }));
        }
        // The answer is no longer wanted: abort the downstream calls (the client closes their connections).
        ctx.request().cancellation().onCancel(() -> exchanges.forEach(e -> e.cancel(true)));
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(all -> answer(calls.stream().map(c -> c.getNow(null)).toList(), ctx.mode(), ctx.request()));
    }

    @Override
    public Response handleBlocking(Params params, BlockingContext ctx) throws Exception {
        long deadline = deadlineNanos(ctx.request());
        List<Future<Call>> calls = new ArrayList<>(params.calls());
        List<Task> tasks = new ArrayList<>(params.calls());
        for (int i = 1; i <= params.calls(); i++) { // all registered first: the view shows those not started yet as queued
            tasks.add(ctx.request().task().child(TaskKind.HTTP_CALL, "call " + i));
        }
        for (int i = 1; i <= params.calls(); i++) {
            int index = i;
            ChildTask call = ChildTask.of(ctx.request(), index);
            Task task = tasks.get(index - 1);
            calls.add(ctx.fork(() -> task.callAndFinish(() -> finishedWith(task, () -> {
                long sent = System.nanoTime();
                if (sent >= deadline) { // blocking mode runs calls in turn: the deadline may pass before one starts
                    return logged(call, Call.failed(index, null, 0, "deadline", "not started: the deadline had passed"));
                }
                log(call, "call " + index + ": GET /sleep?ms=" + params.ms());
                ClientRequest downstream = request(params, deadline, call);
                try (Task.Waiting waiting = task.block(Wait.on("GET " + downstream.uri()))) {
                    return logged(call, outcome(index, sent, deadline, upstream.blocking().send(downstream), null));
                } catch (HttpClientException e) {
                    return logged(call, outcome(index, sent, deadline, null, e));
                }
            }))));
        }
        List<Call> done = new ArrayList<>(calls.size());
        try (Task.Waiting children = ctx.request().task().awaitChildren()) {
            for (Future<Call> call : calls) {
                done.add(call.get()); // each call is bounded by its own timeout
            }
        }
        return answer(done, ctx.mode(), ctx.request());
    }

    private long deadlineNanos(Request request) {
        return request.startNanos() + upstream.deadline().toNanos();
    }

    /**
     * The downstream request; it carries the call's id and span, so the upstream's logs join this
     * request's, and a tracing system sees the call as a child of it.
     */
    private ClientRequest request(Params params, long deadlineNanos, ChildTask call) {
        long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        Duration timeout = Duration.ofMillis(Math.min(upstream.callTimeout().toMillis(), left));
        return ClientRequest.get(upstream.base().get().resolve("/sleep?ms=" + params.ms()))
                .header(RequestIds.HEADER.toString(), call.id())
                .header(TraceContext.HEADER.toString(), call.trace().traceparent())
                .connectTimeout(timeout).responseTimeout(timeout).build();
    }

    private static void log(ChildTask call, String message) {
        try (LogContext.Scope scope = call.open()) {
            log.info(message);
        }
    }

    private static Call logged(ChildTask call, Call outcome) {
        Call c = outcome;
        log(call, "call " + c.call() + ": " + (c.failed() == null
                ? "status " + c.status() : "failed (" + c.failed() + ")") + " in " + c.latencyMs() + " ms");
        return c;
    }

    /** Runs a blocking call and finishes its task with the call's status (before callAndFinish's plain ok). */
    private static Call finishedWith(Task task, Callable<Call> body) throws Exception {
        Call call = body.call();
        task.finish(taskOutcome(call));
        return call;
    }

    /** A call the view lists as done: its status, or why it failed. */
    private static Outcome taskOutcome(Call call) {
        if (call.failed() == null) {
            return Outcome.answered(call.status());
        }
        return "cancelled".equals(call.failed()) ? Outcome.cancelled(call.reason())
                : new Outcome(call.status() == null ? 0 : call.status(), call.failed() + ": " + call.reason(), null);
    }

    private static Call outcome(int index, long sentNanos, long deadlineNanos, ClientResponse response, Throwable failure) {
        long now = System.nanoTime();
        long latency = (now - sentNanos) / 1_000_000;
        if (failure == null) {
            return response.status() >= 500
                    ? Call.failed(index, response.status(), latency, "bad_status", "upstream answered " + response.status())
                    : Call.answered(index, response.status(), latency);
        }
        Throwable cause = Causes.unwrap(failure);
        if (cause instanceof CancellationException) {
            return Call.failed(index, null, latency, "cancelled", "the request was cancelled (timeout or client gone)");
        }
        if (cause instanceof HttpClientException e) {
            boolean timedOut = e.kind() == HttpClientException.Kind.RESPONSE_TIMEOUT
                    || e.kind() == HttpClientException.Kind.CONNECT_TIMEOUT;
            String kind = timedOut && now >= deadlineNanos ? "deadline" : e.kind().name().toLowerCase(Locale.ROOT);
            return Call.failed(index, null, latency, kind, e.getMessage());
        }
        return Call.failed(index, null, latency, "error", String.valueOf(cause));
    }

    private static Response answer(List<Call> calls, String mode, Request request) {
        boolean deadlinePassed = calls.stream().anyMatch(c -> "deadline".equals(c.failed()));
        long failed = calls.stream().filter(c -> c.failed() != null).count();
        HttpResponseStatus status = deadlinePassed ? HttpResponseStatus.GATEWAY_TIMEOUT
                : failed == calls.size() ? HttpResponseStatus.BAD_GATEWAY
                : HttpResponseStatus.OK;
        return Response.json(status, new Fanout(mode, calls.size(), failed, calls, request.elapsedMillis()));
    }
}
