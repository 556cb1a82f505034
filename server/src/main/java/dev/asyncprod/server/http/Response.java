package dev.asyncprod.server.http;

import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an endpoint answers, independent of the execution model that produced it.
 * The transport turns it into a Netty response on the channel's event loop.
 */
public record Response(HttpResponseStatus status, CharSequence contentType, byte[] body, Map<String, String> headers) {

    private static final CharSequence JSON = HttpHeaderValues.APPLICATION_JSON;
    private static final CharSequence TEXT = AsciiString.cached(HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");

    public static Response text(String body) {
        return new Response(HttpResponseStatus.OK, TEXT, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** 200 with {@code body} written as JSON (see {@link Json}). */
    public static Response json(Object body) {
        return json(HttpResponseStatus.OK, body);
    }

    public static Response json(HttpResponseStatus status, Object body) {
        return new Response(status, JSON, Json.bytes(body), Map.of());
    }

    public Response withHeaders(Map<String, String> extra) {
        return new Response(status, contentType, body, extra);
    }
}
