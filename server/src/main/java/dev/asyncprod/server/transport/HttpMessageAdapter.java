package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.Cancellation;
import dev.asyncprod.server.http.QueryParams;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.RequestIds;
import dev.asyncprod.server.http.Response;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * Between Netty's HTTP messages and the server's own. Inbound, a decoded {@link FullHttpRequest}
 * becomes an {@link InboundRequest}, or a {@link RejectedRequest} when it cannot be served
 * (undecodable, a bad percent-escape): the request's bytes are copied out, so nothing above holds
 * a Netty buffer. Outbound, an {@link OutboundResponse} becomes a {@link FullHttpResponse} with
 * its framing headers.
 */
final class HttpMessageAdapter extends ChannelDuplexHandler {

    private static final byte[] NO_BODY = new byte[0];

    private final int maxHeader;

    HttpMessageAdapter(int maxHeader) {
        this.maxHeader = maxHeader;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest raw)) {
            ctx.fireChannelRead(msg); // a RejectedRequest from the aggregator keeps its place
            return;
        }
        try {
            ctx.pipeline().fireUserEventTriggered(SlowRequestGuard.REQUEST_DECODED);
            ctx.fireChannelRead(toMessage(raw));
        } finally {
            ReferenceCountUtil.release(raw);
        }
    }

    private Object toMessage(FullHttpRequest raw) {
        if (raw.decoderResult().isFailure()) {
            return new RejectedRequest(CodecErrors.decodeFailure(raw.decoderResult().cause(), maxHeader));
        }
        try {
            return new InboundRequest(toRequest(raw), HttpUtil.isKeepAlive(raw), raw.protocolVersion());
        } catch (IllegalArgumentException malformed) { // bad percent-encoding in the path or query
            return new RejectedRequest(CodecErrors.decodeFailure(malformed, maxHeader));
        }
    }

    private static Request toRequest(FullHttpRequest raw) {
        QueryStringDecoder uri = new QueryStringDecoder(raw.uri());
        uri.path(); // decodes now: malformed escapes fail here, as a 400, not later in a handler
        HttpHeaders headers = raw.headers();
        byte[] body = raw.content().isReadable() ? ByteBufUtil.getBytes(raw.content()) : NO_BODY;
        return new Request(RequestIds.fromHeaderOrNew(headers.get(RequestIds.HEADER)), raw.method(), raw.uri(),
                uri.path(), new QueryParams(uri.parameters()), headers, body, System.nanoTime(), new Cancellation());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof OutboundResponse out ? encode(out) : msg, promise);
    }

    private static FullHttpResponse encode(OutboundResponse out) {
        Response answer = out.response();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(answer.body()), false);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (out.requestId() != null) {
            headers.set(RequestIds.HEADER, out.requestId());
        }
        for (Map.Entry<String, String> extra : answer.headers().entrySet()) {
            headers.set(extra.getKey(), extra.getValue());
        }
        if (out.close()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (out.version() == HttpVersion.HTTP_1_0) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return response;
    }
}
