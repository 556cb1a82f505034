package dev.asyncprod.server.transport;

import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.Cancellation;
import dev.asyncprod.server.http.ErrorMapper;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.QueryParams;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.http.RequestIds;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.ops.Lifecycle;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's exchanges. Turns each decoded request into a {@link Request}, hands it to the
 * {@link RequestHandler}, and writes the answers back on this channel's event loop in request
 * order, however the futures complete (HTTP/1.1 pipelining). All state here is touched only on the
 * event loop, so it needs no locks.
 */
final class HttpExchangeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpExchangeHandler.class);
    private static final Logger access = LoggerFactory.getLogger("access");
    private static final byte[] NO_BODY = new byte[0];
    /** Stands in for the answer of a request whose client went away: nothing is written. */
    private static final Response DISCARDED = Response.text("");

    /** Pipelined requests read ahead of their answers; past it we stop reading until answers drain. */
    static final int MAX_PIPELINED = 32;

    private final RequestHandler handler;
    private final Lifecycle lifecycle;
    private final ExchangeListener listener;
    private final SlowRequestGuard slowRequestGuard;
    private final String modeName;
    private final int maxHeader;
    private final long requestTimeoutMs;
    private final int maxConnections;
    private final ArrayDeque<Exchange> inOrder = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean reading;
    private boolean flushPending;
    private boolean closeAfterLast;

    HttpExchangeHandler(RequestHandler handler, Lifecycle lifecycle, ExchangeListener listener, String modeName,
                        ServerConfig config, SlowRequestGuard slowRequestGuard) {
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.listener = listener;
        this.slowRequestGuard = slowRequestGuard;
        this.modeName = modeName;
        this.maxHeader = config.maxHeader();
        this.requestTimeoutMs = config.requestTimeout().toMillis();
        this.maxConnections = config.maxConnections();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (lifecycle.openConnections() >= maxConnections) {
            lifecycle.stats().refusedConnection();
            ctx.close(); // over --max-connections: shed at accept, before any work
            return;
        }
        lifecycle.connectionOpened(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The client is gone: nobody will read these answers, so stop the work behind them.
        for (Exchange exchange : inOrder) {
            if (exchange.answer == null && exchange.request != null) {
                lifecycle.stats().cancelled();
                exchange.request.cancellation().cancel("client disconnected");
                exchange.answer = DISCARDED;
                if (exchange.timeout != null) {
                    exchange.timeout.cancel(false);
                }
                lifecycle.requestFinished();
            }
        }
        inOrder.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        try {
            if (closeAfterLast) {
                return; // a request after "Connection: close" or a codec error is not answered
            }
            if (msg instanceof FullHttpRequest request) {
                slowRequestGuard.requestDecoded();
                accept(request);
            } else if (msg instanceof RejectedRequest rejected) {
                closeAfterLast = true;
                inOrder.add(Exchange.ready(rejected.response()));
                drain();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void accept(FullHttpRequest raw) {
        if (raw.decoderResult().isFailure()) {
            closeAfterLast = true;
            inOrder.add(Exchange.ready(CodecErrors.decodeFailure(raw.decoderResult().cause(), maxHeader)));
            drain();
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(raw);
        closeAfterLast = !keepAlive;
        Request request;
        try {
            request = toRequest(raw);
        } catch (IllegalArgumentException malformed) { // bad percent-encoding in the path or query
            closeAfterLast = true;
            inOrder.add(Exchange.ready(CodecErrors.decodeFailure(malformed, maxHeader)));
            drain();
            return;
        }
        Exchange exchange = new Exchange(request, keepAlive, raw.protocolVersion());
        inOrder.add(exchange);
        lifecycle.requestStarted();
        if (inOrder.size() >= MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
        }

        EventLoop loop = ctx.channel().eventLoop();
        CompletableFuture<Response> outcome;
        try (LogContext.Scope scope = LogContext.open(request.id(), null)) {
            outcome = handler.handle(request, loop);
        } catch (Throwable t) {
            outcome = CompletableFuture.failedFuture(t);
        }
        outcome.whenComplete((response, failure) -> {
            if (request.cancellation().isCancelled()) {
                return; // already answered (504) or nobody to answer: the late outcome is dropped
            }
            if (failure != null && ErrorMapper.isOverload(failure)) {
                lifecycle.stats().rejected();
            }
            Response answer;
            if (failure == null) {
                answer = ErrorMapper.toResponse(response, null, request);
            } else {
                try (LogContext.Scope scope = LogContext.open(request.id(), null)) {
                    answer = ErrorMapper.toResponse(response, failure, request); // logs a bug with the request's id
                }
            }
            if (loop.inEventLoop()) {
                complete(exchange, answer);
            } else {
                loop.execute(() -> complete(exchange, answer));
            }
        });
        if (exchange.answer == null) {
            exchange.timeout = loop.schedule(() -> timeOut(exchange), requestTimeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** {@code --request-timeout} passed without an answer: 504, and the work is cancelled. */
    private void timeOut(Exchange exchange) {
        if (exchange.answer != null) {
            return;
        }
        lifecycle.stats().timedOut();
        exchange.request.cancellation().cancel("request timeout");
        complete(exchange, new HttpError(HttpResponseStatus.GATEWAY_TIMEOUT, "timeout",
                "no answer within the request timeout of " + requestTimeoutMs + " ms; the work was cancelled", Map.of())
                .toResponse());
    }

    private static Request toRequest(FullHttpRequest raw) {
        QueryStringDecoder uri = new QueryStringDecoder(raw.uri());
        uri.path(); // decodes now: malformed escapes fail here, as a 400, not later in a handler
        HttpHeaders headers = raw.headers();
        byte[] body = raw.content().isReadable() ? ByteBufUtil.getBytes(raw.content()) : NO_BODY;
        return new Request(RequestIds.fromHeaderOrNew(headers.get(RequestIds.HEADER)), raw.method(), raw.uri(),
                uri.path(), new QueryParams(uri.parameters()), headers, body, System.nanoTime(), new Cancellation());
    }

    private void complete(Exchange exchange, Response answer) {
        if (exchange.answer != null) {
            return; // the timeout answered first
        }
        exchange.answer = answer;
        if (exchange.timeout != null) {
            exchange.timeout.cancel(false); // else a timer per request would wait out the whole timeout
        }
        lifecycle.requestFinished();
        drain();
    }

    /** Writes every answer at the head of the line that is ready; a later answer waits for earlier ones. */
    private void drain() {
        boolean wrote = false;
        while (!inOrder.isEmpty() && inOrder.peek().answer != null) {
            Exchange head = inOrder.poll();
            boolean last = !head.keepAlive || (lifecycle.isDraining() && inOrder.isEmpty());
            FullHttpResponse response = encode(head, last);
            logAccess(head);
            if (last) {
                inOrder.clear();
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.write(response, ctx.voidPromise());
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

    private FullHttpResponse encode(Exchange exchange, boolean close) {
        Response answer = exchange.answer;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(answer.body()), false);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (exchange.request != null) {
            headers.set(RequestIds.HEADER, exchange.request.id());
        }
        for (Map.Entry<String, String> extra : answer.headers().entrySet()) {
            headers.set(extra.getKey(), extra.getValue());
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (exchange.version == HttpVersion.HTTP_1_0) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }

    private void logAccess(Exchange exchange) {
        Request r = exchange.request;
        if (r == null) {
            return;
        }
        long nanos = System.nanoTime() - r.startNanos();
        listener.answered(r, exchange.answer.status().code(), nanos);
        if (access.isInfoEnabled()) {
            try (LogContext.Scope scope = LogContext.open(r.id(), null)) {
                // The request id is in the MDC: the pattern prints it (id=...), a JSON encoder would too.
                access.info("{} {} {} {}ms mode={}", r.method(), r.uri(), exchange.answer.status().code(),
                        String.format("%.1f", nanos / 1e6), modeName);
            }
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
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent || evt == Lifecycle.DRAIN) {
            if (inOrder.isEmpty()) {
                ctx.close(); // nothing in flight: idle too long, or draining; a long /sleep is not idleness
            }
            // Draining with answers in flight: the last of them says Connection: close and closes (see drain()).
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} after I/O error", ctx.channel(), cause); // resets by peers are routine
        ctx.close();
    }

    /** One request and, once known, its answer. */
    private static final class Exchange {
        final Request request; // null for a request the codec rejected
        final boolean keepAlive;
        final HttpVersion version;
        Response answer;
        ScheduledFuture<?> timeout;

        Exchange(Request request, boolean keepAlive, HttpVersion version) {
            this.request = request;
            this.keepAlive = keepAlive;
            this.version = version;
        }

        static Exchange ready(Response answer) {
            Exchange e = new Exchange(null, false, HttpVersion.HTTP_1_1);
            e.answer = answer;
            return e;
        }
    }
}
