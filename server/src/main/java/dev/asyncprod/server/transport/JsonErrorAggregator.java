package dev.asyncprod.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's aggregator, but an oversized body becomes a {@link RejectedRequest} (JSON 413, in
 * pipeline order) instead of Netty's own empty 413 written out of turn.
 */
final class JsonErrorAggregator extends HttpObjectAggregator {

    private final int maxBody;

    JsonErrorAggregator(int maxBody) {
        super(maxBody);
        this.maxBody = maxBody;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.fireChannelRead(new RejectedRequest(CodecErrors.bodyTooLarge(maxBody)));
    }
}
