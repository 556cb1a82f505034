package dev.asyncprod.load.gen;

import dev.asyncprod.base.HttpUris;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Locale;

/**
 * An HTTP/2 request as every stream sends it, built once: HPACK then sends the headers in a few
 * bytes per stream.
 *
 * @param body unreleasable; empty for none
 */
record Http2Request(Http2Headers headers, ByteBuf body) {

    static Http2Request of(LoadSpec spec) {
        int port = spec.url().getPort();
        Http2Headers headers = new DefaultHttp2Headers()
                .method(spec.method())
                .path(HttpUris.targetOf(spec.url()))
                .scheme(spec.secure() ? "https" : "http")
                .authority(spec.url().getHost() + (port == -1 ? "" : ":" + port));
        if (spec.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("User-Agent"))) {
            headers.add("user-agent", "asyncprod-load");
        }
        spec.headers().forEach((name, value) -> headers.add(name.toLowerCase(Locale.ROOT), value));
        if (spec.body().length > 0 || (!spec.method().equals("GET") && !spec.method().equals("HEAD"))) {
            headers.addInt("content-length", spec.body().length);
        }
        ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.directBuffer(spec.body().length).writeBytes(spec.body()));
        return new Http2Request(headers, body);
    }
}
