package dev.asyncprod.client;

import dev.asyncprod.client.HttpClientException.Kind;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request on one pooled connection, from write to the last byte. Every way it can end
 * (answer, failure, timeout, cancellation) goes through {@link #finish}, which settles the
 * connection exactly once: back to the pool only after a complete keep-alive answer, else closed.
 */
final class Exchange {

    private final ClientRequest request;
    private final CompletableFuture<ClientResponse> result;
    private final ChannelPool pool;
    private final Channel channel;
    private final Duration responseTimeout;
    private ExchangeHandler handler;
    private ScheduledFuture<?> timeout;
    private long startNanos;
    private boolean finished;

    Exchange(ClientRequest request, CompletableFuture<ClientResponse> result, ChannelPool pool, Channel channel,
             Duration responseTimeout) {
        this.request = request;
        this.result = result;
        this.pool = pool;
        this.channel = channel;
        this.responseTimeout = responseTimeout;
    }

    /** Runs on the connection's event loop. */
    void begin() {
        handler = channel.pipeline().get(ExchangeHandler.class);
        if (result.isDone() || handler == null || !channel.isActive()) {
            if (!result.isDone()) { // the pooled connection died between acquire and now
                String tlsFailure = handler == null ? null : handler.tlsFailure();
                result.completeExceptionally(tlsFailure != null
                        ? new HttpClientException(Kind.TLS_FAILED, request.authority(), tlsFailure, null)
                        : new HttpClientException(Kind.CLOSED_MID_RESPONSE, request.authority(),
                                "connection closed before the request was sent", null));
            }
            finished = true;
            channel.close();
            pool.release(channel);
            return;
        }
        handler.attach(this);
        startNanos = System.nanoTime();
        timeout = channel.eventLoop().schedule(() -> fail(Kind.RESPONSE_TIMEOUT,
                "no complete response within " + responseTimeout.toMillis() + " ms", null),
                responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
        // Cancellation by the caller aborts the exchange: the connection is closed, never reused half-read.
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                channel.eventLoop().execute(() -> finish(false));
            }
        });
        channel.writeAndFlush(encode()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail(Kind.CLOSED_MID_RESPONSE, "could not send the request: " + f.cause().getMessage(), f.cause());
            }
        });
    }

    private FullHttpRequest encode() {
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.target(), Unpooled.wrappedBuffer(request.body()), false);
        out.headers().set(HttpHeaderNames.HOST, request.authority());
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            out.headers().set(h.getKey(), h.getValue());
        }
        if (request.body().length > 0 || !request.method().equals("GET")) {
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        }
        if (!out.headers().contains(HttpHeaderNames.USER_AGENT)) {
            out.headers().set(HttpHeaderNames.USER_AGENT, "asyncprod-client");
        }
        return out;
    }

    void succeed(FullHttpResponse response) {
        if (finished) {
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(response)
                && !response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(h.getValue()));
        ClientResponse answer = new ClientResponse(response.status().code(), headers,
                ByteBufUtil.getBytes(response.content()), System.nanoTime() - startNanos);
        finish(keepAlive);
        result.complete(answer);
    }

    void fail(Kind kind, String message, Throwable cause) {
        if (finished) {
            return;
        }
        finish(false);
        result.completeExceptionally(new HttpClientException(kind, request.authority(), message, cause));
    }

    /** Settles the connection once: reuse only a connection whose answer was read whole. */
    private void finish(boolean reusable) {
        if (finished) {
            return;
        }
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (handler != null) {
            handler.detach(this);
        }
        if (!reusable) {
            channel.close();
        }
        pool.release(channel);
    }
}
