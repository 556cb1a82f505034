package dev.asyncprod.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator, with two changes. A request with no body (no {@code Content-Length}, not
 * chunked: most GETs) passes by untouched, head and empty last part, for the adapter to take as it
 * is: there is nothing to aggregate, and aggregating it anyway costs the cheapest request a
 * composite buffer and a copy of its head. An oversized body becomes a {@link RejectedRequest}
 * (a 413 problem, in pipeline order) instead of Netty's own empty 413 written out of turn.
 */
final class BodyAggregator extends HttpObjectAggregator {

    private final int maxBody;

    BodyAggregator(int maxBody) {
        super(maxBody);
        this.maxBody = maxBody;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) throws Exception {
        if (msg instanceof HttpRequest head && isBodiless(head)) {
            return false; // its empty last part follows, and is not accepted either: nothing is being aggregated
        }
        return super.acceptInboundMessage(msg);
    }

    /** A request the codec decoded cleanly that announces no body. */
    static boolean isBodiless(HttpRequest head) {
        return head.decoderResult().isSuccess() && !HttpUtil.isContentLengthSet(head) && !HttpUtil.isTransferEncodingChunked(head);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.fireChannelRead(new RejectedRequest(CodecErrors.bodyTooLarge(maxBody)));
    }
}
