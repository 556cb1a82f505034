package dev.asyncprod.load.gen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's end of one embedded HTTP/2 connection: Netty's frame codec, the streams the client
 * opened and reset, and a pump that carries the bytes between the two channels until both are quiet.
 */
final class EmbeddedH2Server {

    private final EmbeddedChannel client;
    private final EmbeddedChannel server;
    /** Every stream the client opened, in order. */
    final List<Http2FrameStream> streams = new ArrayList<>();
    /** Ids of the streams the client reset. */
    final List<Integer> resets = new ArrayList<>();

    EmbeddedH2Server(EmbeddedChannel client, int maxConcurrentStreams) {
        this.client = client;
        this.server = new EmbeddedChannel(Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams)).build(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof Http2HeadersFrame headers) {
                            streams.add(headers.stream());
                        } else if (msg instanceof Http2ResetFrame reset) {
                            resets.add(reset.stream().id());
                        }
                        ReferenceCountUtil.release(msg);
                    }
                });
        exchange();
    }

    /** Carries what each side wrote to the other until neither writes any more. */
    void exchange() {
        boolean moved = true;
        while (moved) {
            moved = carry(client, server) | carry(server, client);
        }
    }

    /** Streams opened and neither answered nor reset. */
    long open() {
        return streams.stream().filter(s -> s.state().remoteSideOpen() || s.state().localSideOpen()).count();
    }

    void answer(Http2FrameStream stream, int status) {
        server.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(Integer.toString(status)), true)
                .stream(stream));
        exchange();
    }

    /** The status in one frame, the end of the answer in a body frame after it. */
    void answerWithBody(Http2FrameStream stream, int status, String body) {
        server.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(Integer.toString(status)), false)
                .stream(stream));
        server.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, java.nio.charset.StandardCharsets.US_ASCII),
                true).stream(stream));
        exchange();
    }

    void reset(Http2FrameStream stream) {
        server.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(stream));
        exchange();
    }

    /** GOAWAY naming the last stream opened: those open may finish; no new ones. */
    void goAway() {
        server.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        exchange();
    }

    private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (ByteBuf b = from.readOutbound(); b != null; b = from.readOutbound()) {
            moved = true;
            if (to.isOpen()) {
                to.writeInbound(b);
            } else {
                b.release();
            }
        }
        return moved;
    }
}
