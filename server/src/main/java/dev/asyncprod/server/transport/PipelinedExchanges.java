package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.ErrorMapper;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.tasks.Outcome;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskRegistry;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.Timer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's exchanges, kept in order: each request goes to the {@link RequestHandler} as
 * it arrives, and the answers are written back in request order however the futures complete
 * (HTTP/1.1 pipelining). Every outcome ends in {@link ErrorMapper}; the request timeout answers
 * 504 and cancels the work; a client that goes away cancels its unanswered requests. All state is
 * touched only on the connection's event loop, so it needs no locks.
 */
final class PipelinedExchanges extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(PipelinedExchanges.class);

    /** Pipelined requests read ahead of their answers; past it we stop reading until answers drain. */
    static final int MAX_PIPELINED = 32;

    private final RequestHandler handler;
    private final Lifecycle lifecycle;
    private final ExchangeListener listener;
    private final long requestTimeoutMs;
    private final Timer timeouts;
    private final TaskRegistry tasks;
    private final ArrayDeque<Exchange> inOrder = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean reading;
    private boolean flushPending;
    private boolean closeAfterLast;

    /** @param timeouts where request timeouts wait: a wheel, not the event loop's own heap of timers */
    PipelinedExchanges(RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener, long requestTimeoutMs,
                       Timer timeouts, TaskRegistry tasks) {
        this.tasks = tasks;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.requestTimeoutMs = requestTimeoutMs;
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        if (closeAfterLast) {
            return; // a request after "Connection: close" or a rejected one is not answered
        }
        if (msg instanceof InboundRequest inbound) {
            start(inbound);
        } else if (msg instanceof RejectedRequest rejected) {
            closeAfterLast = true;
            inOrder.add(Exchange.rejected(rejected.response()));
            writeReady(System.nanoTime());
        }
    }

    private void start(InboundRequest inbound) {
        closeAfterLast = !inbound.keepAlive();
        Request request = inbound.request();
        Exchange exchange = new Exchange(request, inbound.keepAlive(), inbound.version());
        inOrder.add(exchange);
        lifecycle.requestStarted();
        if (inOrder.size() >= MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
        }
        EventLoop loop = ctx.channel().eventLoop();
        Task task = tasks.register(request.task());
        CompletableFuture<Response> outcome;
        // No log context here: what runs later carries the request's own (LogContext.capture). The
        // task's scope makes the time its body holds this loop its busy time.
        try (Task.Scope running = task.enter(request.startNanos())) { // decoded a moment ago: its clock reading will do
            outcome = handler.handle(request, loop);
        } catch (Throwable t) {
            outcome = CompletableFuture.failedFuture(t);
        }
        if (outcome.isDone()) { // answered at once (/hello, /health, a 404): no callback to set up
            complete(exchange, toAnswer(request, outcome.isCompletedExceptionally() ? null : outcome.resultNow(),
                    outcome.isCompletedExceptionally() ? outcome.exceptionNow() : null));
            return;
        }
        task.watch(outcome);
        outcome.whenComplete((response, failure) -> {
            if (request.cancellation().isCancelled()) {
                return; // already answered (504) or nobody to answer: the late outcome is dropped
            }
            Response answer = toAnswer(request, response, failure);
            if (loop.inEventLoop()) {
                complete(exchange, answer);
            } else {
                loop.execute(() -> complete(exchange, answer));
            }
        });
        if (!exchange.isAnswered()) {
            exchange.startTimeout(timeouts, loop, requestTimeoutMs, () -> timeOut(exchange));
        }
    }

    private Response toAnswer(Request request, Response response, Throwable failure) {
        if (failure == null) {
            return ErrorMapper.toResponse(response, null, request);
        }
        if (ErrorMapper.isOverload(failure)) {
            lifecycle.stats().rejected();
        }
        try (LogContext.Scope scope = LogContext.open(request)) {
            return ErrorMapper.toResponse(null, failure, request); // logs a bug with the request's id
        }
    }

    /** {@code --request-timeout} passed without an answer: 504, and the work is cancelled. */
    private void timeOut(Exchange exchange) {
        if (exchange.isAnswered()) {
            return;
        }
        lifecycle.stats().timedOut();
        exchange.request().cancellation().cancel("request timeout");
        complete(exchange, new HttpError(HttpResponseStatus.GATEWAY_TIMEOUT, "timeout",
                "no answer within the request timeout of " + requestTimeoutMs + " ms; the work was cancelled", Map.of())
                .toResponse());
    }

    private void complete(Exchange exchange, Response answer) {
        if (exchange.complete(answer)) {
            Request request = exchange.request();
            long now = System.nanoTime(); // one reading for the task's end and the answers written now
            int status = answer.status().code();
            request.task().finish(request.cancellation().isCancelled()
                    ? new Outcome(status, null, "request timeout") : Outcome.answered(status), now);
            lifecycle.requestFinished();
            writeReady(now);
        }
    }

    /**
     * Writes every answer at the head of the line that is ready; a later answer waits for earlier ones.
     *
     * @param now {@link System#nanoTime()}, read just now: when the answers written here are written
     */
    private void writeReady(long now) {
        boolean wrote = false;
        while (!inOrder.isEmpty() && inOrder.peek().isAnswered()) {
            Exchange head = inOrder.poll();
            boolean last = !head.keepAlive() || (lifecycle.isDraining() && inOrder.isEmpty());
            Request request = head.request();
            OutboundResponse out = OutboundResponse.answering(request, head.answer(), last, head.version());
            if (request != null) {
                listener.answered(request, head.answer().status().code(), out.bodyBytes(), now - request.startNanos());
            }
            if (last) {
                inOrder.clear();
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.write(out, ctx.voidPromise());
            wrote = true;
        }
        if (wrote) {
            if (reading) {
                flushPending = true; // channelReadComplete flushes the whole batch with one syscall
            } else {
                ctx.flush();
            }
        }
        if (!ctx.channel().config().isAutoRead() && inOrder.size() < MAX_PIPELINED / 2) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The client is gone: nobody will read these answers, so stop the work behind them.
        for (Exchange exchange : inOrder) {
            if (exchange.abandon()) {
                exchange.request().task().finish(Outcome.cancelled(lifecycle.isShuttingDown()
                        ? "connection closed during shutdown" : "client disconnected"));
                lifecycle.stats().cancelled();
                lifecycle.requestFinished();
            }
        }
        inOrder.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ConnectionTimeLimits.IDLE || evt == Lifecycle.DRAIN) {
            if (inOrder.isEmpty()) {
                ctx.close(); // nothing in flight: idle too long, or draining; a long /sleep is not idleness
            }
            // Draining with answers in flight: the last of them says Connection: close and closes (see writeReady).
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} after I/O error", ctx.channel(), cause); // resets by peers are routine
        ctx.close();
    }
}
