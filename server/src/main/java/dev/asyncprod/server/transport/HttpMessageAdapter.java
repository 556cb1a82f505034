package dev.asyncprod.server.transport;

import dev.asyncprod.base.HttpUris;
import dev.asyncprod.server.http.Cancellation;
import dev.asyncprod.server.http.QueryParams;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.RequestIds;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.http.TraceContext;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import dev.asyncprod.server.tasks.RequestFacts;
import dev.asyncprod.server.tasks.Task;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * Between Netty's HTTP messages and the server's own. Inbound, a decoded request (a
 * {@link FullHttpRequest} with its body, or the head of one without: see {@link BodyAggregator})
 * becomes an {@link InboundRequest}, or a {@link RejectedRequest} when it cannot be served
 * (undecodable, a bad percent-escape, an HTTP/1.1 request without {@code Host}): the request's
 * bytes are copied out, so nothing above holds a Netty buffer. An absolute-form target
 * ({@code GET http://host/hello}) is served as its path (RFC 9112 §3.2.2). Outbound, an
 * {@link OutboundResponse} becomes a {@link FullHttpResponse} with its framing headers and a
 * {@code Date}.
 */
final class HttpMessageAdapter extends ChannelDuplexHandler {

    private static final byte[] NO_BODY = new byte[0];

    private final int maxHeader;
    private final String protocol; // "HTTP/2" on a stream; null: the request line's version
    private final boolean tracked;
    private String remoteAddress; // the connection's peer, formatted once
    private String connection; // the peer and the channel, as the task view names it
    private boolean skipLastContent; // the empty last part of a bodiless request is still to come

    /** @param protocol {@code HTTP/2} for a stream's requests (the stream codec presents them as HTTP/1.1); null otherwise */
    /** @param tracked whether requests get a task of their own (the task registry is on) */
    HttpMessageAdapter(int maxHeader, String protocol, boolean tracked) {
        this.tracked = tracked;
        this.maxHeader = maxHeader;
        this.protocol = protocol;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest whole) {
            try {
                decoded(ctx, whole, whole.content().isReadable() ? ByteBufUtil.getBytes(whole.content()) : NO_BODY);
            } finally {
                ReferenceCountUtil.release(whole);
            }
        } else if (msg instanceof HttpRequest head) {
            skipLastContent = true; // a request without a body, passed by the aggregator: its empty last part follows
            decoded(ctx, head, NO_BODY);
        } else if (msg instanceof LastHttpContent last && skipLastContent) {
            skipLastContent = false;
            last.release();
        } else {
            ctx.fireChannelRead(msg); // a RejectedRequest from the aggregator keeps its place
        }
    }

    private void decoded(ChannelHandlerContext ctx, HttpRequest raw, byte[] body) {
        ctx.pipeline().fireUserEventTriggered(ConnectionTimeLimits.REQUEST_DECODED);
        if (remoteAddress == null) {
            remoteAddress = addressOf(ctx.channel().remoteAddress());
            connection = remoteAddress + " (" + channelName(ctx.channel()) + ")";
        }
        ctx.fireChannelRead(toMessage(raw, body));
    }

    private Object toMessage(HttpRequest raw, byte[] body) {
        if (raw.decoderResult().isFailure()) {
            return new RejectedRequest(CodecErrors.decodeFailure(raw.decoderResult().cause(), maxHeader));
        }
        if (raw.protocolVersion().equals(HttpVersion.HTTP_1_1) && !raw.headers().contains(HttpHeaderNames.HOST)) {
            return new RejectedRequest(CodecErrors.missingHost()); // RFC 9112 §3.2: MUST answer 400
        }
        try {
            return new InboundRequest(toRequest(raw, body), HttpUtil.isKeepAlive(raw), raw.protocolVersion());
        } catch (IllegalArgumentException malformed) { // bad percent-encoding in the path or query
            return new RejectedRequest(CodecErrors.decodeFailure(malformed, maxHeader));
        }
    }

    /** The connection's id, or an HTTP/2 stream's: its connection's id and its stream id. */
    private static String channelName(Channel channel) {
        if (channel instanceof Http2StreamChannel stream && channel.parent() != null) {
            return channel.parent().id().asShortText() + " stream " + stream.stream().id();
        }
        return channel.id().asShortText();
    }

    private Request toRequest(HttpRequest raw, byte[] body) {
        String target = originForm(raw);
        QueryStringDecoder uri = new QueryStringDecoder(target);
        uri.path(); // decodes now: malformed escapes fail here, as a 400, not later in a handler
        HttpHeaders headers = raw.headers();
        String id = RequestIds.fromHeaderOrNew(headers.get(RequestIds.HEADER));
        TraceContext trace = TraceContext.fromHeaderOrNew(headers.get(TraceContext.HEADER));
        String version = protocol != null ? protocol : raw.protocolVersion().text();
        long start = System.nanoTime();
        Task task = tracked ? Task.request(new RequestFacts(id, trace::traceId, raw.method().name(), target, version, connection),
                start) : Task.NONE;
        return new Request(id, raw.method(), target, uri.path(), new QueryParams(uri.parameters()), headers, body, start,
                new Cancellation(), remoteAddress, trace, version, task);
    }

    /**
     * The target as path and query. An absolute-form target, as a client talking to a proxy sends
     * it, gives its path and query, and its authority replaces the Host header (RFC 9112 §3.2.2).
     */
    private static String originForm(HttpRequest raw) {
        String target = raw.uri();
        if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            URI absolute = URI.create(target); // a malformed one is a 400
            if (absolute.getRawAuthority() != null) {
                raw.headers().set(HttpHeaderNames.HOST, absolute.getRawAuthority());
            }
            return HttpUris.targetOf(absolute);
        }
        return target;
    }

    private static String addressOf(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() != null ? inet.getAddress().getHostAddress()
                : inet.getHostString() : String.valueOf(address);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof OutboundResponse out ? encode(out) : msg, promise);
    }

    private static FullHttpResponse encode(OutboundResponse out) {
        Response answer = out.response();
        // Our own headers need no validation; no answer has trailers, so they are the shared empty ones.
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                out.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()), new DefaultHttpHeaders(false),
                EmptyHttpHeaders.INSTANCE);
        HttpHeaders headers = response.headers();
        // add, not set: these are not there yet, so there is nothing to look for and replace.
        headers.add(HttpHeaderNames.DATE, HttpDate.now());
        headers.add(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        headers.addInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length); // a HEAD answer says what a GET would carry
        if (out.requestId() != null) {
            headers.add(RequestIds.HEADER, out.requestId());
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
