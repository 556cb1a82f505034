package dev.asyncprod.client;

import dev.asyncprod.base.Causes;
import dev.asyncprod.client.HttpClientException.Kind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of a pooled connection's pipeline: hands the answer, or the way the connection failed,
 * to the one exchange in flight on it. Event-loop confined.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    private final int maxBody;
    private Exchange current;
    private String tlsFailure; // why the handshake failed, if it did: the connection is closed, and says why

    ExchangeHandler(int maxBody) {
        this.maxBody = maxBody;
    }

    void attach(Exchange exchange) {
        current = exchange;
    }

    /** Why this connection's TLS handshake failed, or null. */
    String tlsFailure() {
        return tlsFailure;
    }

    void detach(Exchange exchange) {
        if (current == exchange) {
            current = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Exchange exchange = current;
            if (!(msg instanceof FullHttpResponse response)) {
                return;
            }
            if (exchange == null) {
                ctx.close(); // an answer nobody asked for: the connection can no longer be trusted
                return;
            }
            if (response.decoderResult().isFailure()) {
                Throwable cause = response.decoderResult().cause();
                exchange.fail(cause instanceof PrematureChannelClosureException ? Kind.CLOSED_MID_RESPONSE : Kind.MALFORMED_RESPONSE,
                        describe(cause), cause);
                return;
            }
            exchange.succeed(response);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange exchange = current;
        if (exchange != null) {
            exchange.fail(Kind.CLOSED_MID_RESPONSE, "connection closed before the response was complete", null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange exchange = current;
        if (exchange != null) {
            if (Causes.isTls(cause)) {
                exchange.fail(Kind.TLS_FAILED, "TLS failed: " + Causes.rootMessage(cause), cause);
            } else if (cause instanceof TooLongFrameException) {
                exchange.fail(Kind.BODY_TOO_LARGE, "response body over the limit of " + maxBody + " bytes", cause);
            } else if (cause instanceof DecoderException) {
                exchange.fail(Kind.MALFORMED_RESPONSE, describe(cause), cause);
            } else {
                exchange.fail(Kind.CLOSED_MID_RESPONSE, "connection failed: " + cause.getMessage(), cause);
            }
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            tlsFailure = "TLS handshake failed: " + Causes.rootMessage(handshake.cause());
            Exchange exchange = current;
            if (exchange != null) {
                exchange.fail(Kind.TLS_FAILED, tlsFailure, handshake.cause());
            }
            ctx.close();
        } else if (evt instanceof IdleStateEvent && current == null) {
            ctx.close(); // idle eviction: the pool drops closed connections on their next acquire
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private static String describe(Throwable cause) {
        return "malformed response: " + (cause == null ? "undecodable" : cause.getMessage());
    }
}
