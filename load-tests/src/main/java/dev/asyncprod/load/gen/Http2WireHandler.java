package dev.asyncprod.load.gen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Netty's HTTP/2 connection handler on one {@link Http2Wire} connection, and the frames it passes
 * on to that wire: the status from the headers, the end of each answer, resets, the server's
 * SETTINGS and GOAWAY, and each stream's close. Bodies are consumed at once (the flow-control
 * window reopens) and skipped. One per connection, on its event loop.
 */
final class Http2WireHandler extends Http2ConnectionHandler {

    ChannelHandlerContext ctx;
    /** The server's first SETTINGS arrived: its stream cap is known. */
    boolean settingsReceived;

    private Http2WireHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
        super(decoder, encoder, settings);
    }

    static Http2WireHandler newHandler(Http2Wire wire) {
        return new Builder(wire).build();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2WireHandler, Builder> {
        private final Http2Wire wire;

        Builder(Http2Wire wire) {
            this.wire = wire;
            server(false);
            frameListener(new Frames(wire));
            validateHeaders(false); // a generator reads the status and where each answer ends
        }

        @Override
        public Http2WireHandler build() {
            return super.build();
        }

        @Override
        protected Http2WireHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                         Http2Settings settings) {
            Http2WireHandler handler = new Http2WireHandler(decoder, encoder, settings);
            handler.connection().addListener(new Http2ConnectionAdapter() {
                @Override
                public void onStreamClosed(Http2Stream stream) {
                    wire.streamClosed(handler);
                }
            });
            return handler;
        }
    }

    private static final class Frames extends Http2EventAdapter {
        private final Http2Wire wire;

        Frames(Http2Wire wire) {
            this.wire = wire;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            if (headers.status() != null) {
                wire.statusRead(streamId, headers.getInt(Http2Headers.PseudoHeaderName.STATUS.value(), 0));
            }
            if (endOfStream) {
                wire.streamEnded(streamId);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            if (endOfStream) {
                wire.streamEnded(streamId);
            }
            return data.readableBytes() + padding; // consumed at once: the window reopens
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            Http2WireHandler handler = ctx.pipeline().get(Http2WireHandler.class);
            if (handler != null) {
                wire.settingsRead(handler);
            }
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            wire.streamReset(streamId);
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
            wire.goAwayRead(ctx.pipeline().get(Http2WireHandler.class));
        }
    }
}
