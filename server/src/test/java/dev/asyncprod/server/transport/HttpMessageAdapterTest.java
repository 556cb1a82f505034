package dev.asyncprod.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/1.1 half of a connection's pipeline below the exchanges (Netty's codec, the body limit,
 * the adapter), fed raw bytes on an {@link EmbeddedChannel}: what reaches the exchanges for each
 * kind of request, and what goes on the wire for an answer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpMessageAdapterTest {

    static final int MAX_HEADER = 8192;
    static final int MAX_BODY = 16;

    final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(4096, MAX_HEADER, 8192),
            new BodyAggregator(MAX_BODY), new HttpMessageAdapter(MAX_HEADER, null, true));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestArrivesAsTheServersOwnWithItsPathQueryAndBody() {
        Request request = inbound("POST /email?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello").request();

        assertThat(request.method().name()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo("/email?x=1");
        assertThat(request.path()).isEqualTo("/email");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(request.protocol()).isEqualTo("HTTP/1.1");
    }

    @Test
    void anAbsoluteFormTargetIsServedAsItsPathAndItsAuthorityIsTheHost() {
        Request request = inbound("GET http://example.test:8080/hello?a=%2F HTTP/1.1\r\nHost: other\r\n\r\n").request();

        assertThat(request.uri()).isEqualTo("/hello?a=%2F");
        assertThat(request.path()).isEqualTo("/hello");
        assertThat(request.headers().get(HttpHeaderNames.HOST)).isEqualTo("example.test:8080");
    }

    @Test
    void http11WithoutHostIsRejectedWith400AndHttp10NeedsNone() {
        assertThat(rejected("GET /hello HTTP/1.1\r\n\r\n").status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(inbound("GET /hello HTTP/1.0\r\n\r\n").version()).isEqualTo(HttpVersion.HTTP_1_0);
    }

    @Test
    void aBadPercentEscapeIs400NotAFailureLater() {
        assertThat(rejected("GET /hello?x=%zz HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    }

    @Test
    void aBodyOverTheLimitIs413InItsPlace() {
        Response answer = rejected("POST /email HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n" + "x".repeat(17));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
    }

    @Test
    void aHeadAnswerCarriesTheGetsHeadersAndNoBody() {
        Request head = inbound("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n").request();
        OutboundResponse out = OutboundResponse.answering(head, Response.text("hello"), false, HttpVersion.HTTP_1_1);

        assertThat(out.bodyBytes()).isZero();
        FullHttpResponse written = written(out);
        try {
            assertThat(written.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(5);
            assertThat(written.headers().get("X-Request-Id")).isEqualTo(head.id());
            assertThat(written.headers().contains(HttpHeaderNames.DATE)).isTrue();
            assertThat(written.content().readableBytes()).isZero();
        } finally {
            written.release();
        }
    }

    @Test
    void aGetAnswerCarriesItsBodyAndALastAnswerSaysTheConnectionCloses() {
        Request get = inbound("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").request();
        OutboundResponse out = OutboundResponse.answering(get, Response.text("hello"), true, HttpVersion.HTTP_1_1);

        assertThat(out.bodyBytes()).isEqualTo(5);
        FullHttpResponse written = written(out);
        try {
            assertThat(written.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(written.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        } finally {
            written.release();
        }
    }

    private InboundRequest inbound(String raw) {
        Object message = feed(raw);
        assertThat(message).isInstanceOf(InboundRequest.class);
        return (InboundRequest) message;
    }

    private Response rejected(String raw) {
        Object message = feed(raw);
        assertThat(message).isInstanceOf(RejectedRequest.class);
        return ((RejectedRequest) message).response();
    }

    private Object feed(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        Object message = channel.readInbound();
        assertThat(message).as("what reached the exchanges for %s", raw.lines().findFirst().orElse("")).isNotNull();
        return message;
    }

    /** What the adapter hands Netty's encoder for an answer: written on an adapter of its own, read back as is. */
    private static FullHttpResponse written(OutboundResponse out) {
        EmbeddedChannel adapter = new EmbeddedChannel(new HttpMessageAdapter(MAX_HEADER, null, true));
        try {
            adapter.writeOutbound(out);
            Object response = adapter.readOutbound();
            assertThat(response).isInstanceOf(FullHttpResponse.class);
            return (FullHttpResponse) response;
        } finally {
            adapter.finish();
        }
    }
}
