package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The generator's response framing, fed the bytes a server sends, in whatever pieces they arrive. */
@Timeout(value = 60, unit = SECONDS)
class ResponseScannerTest {

    private record Seen(int status, boolean keepAlive) {
    }

    private final List<Seen> seen = new ArrayList<>();

    private ResponseScanner scanner(boolean head) {
        return new ResponseScanner(head, (status, keepAlive) -> seen.add(new Seen(status, keepAlive)));
    }

    @Test
    void pipelinedAnswersArriveWholeOrCutAnywhere() {
        String two = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDate: x\r\n\r\nhello"
                + "HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
        for (int cut = 1; cut < two.length(); cut++) {
            seen.clear();
            ResponseScanner s = scanner(false);
            feed(s, two.substring(0, cut));
            feed(s, two.substring(cut));
            assertThat(seen).as("cut at " + cut).containsExactly(new Seen(200, true), new Seen(404, false));
        }
    }

    @Test
    void chunkedBodiesEndAtTheLastChunkAndItsTrailers() {
        ResponseScanner s = scanner(false);
        feed(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n");
        assertThat(seen).isEmpty();
        feed(s, "6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        assertThat(seen).containsExactly(new Seen(200, true), new Seen(204, true));
    }

    @Test
    void noBodyForHeadOr304AndNoAnswerForAnInterim100() {
        ResponseScanner head = scanner(true);
        feed(head, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
        assertThat(seen).containsExactly(new Seen(200, true), new Seen(200, true));
        seen.clear();
        ResponseScanner get = scanner(false);
        feed(get, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n");
        assertThat(seen).containsExactly(new Seen(304, true));
    }

    @Test
    void aBodyWithoutLengthRunsToTheCloseAndHttp10ClosesUnlessKeptAlive() {
        ResponseScanner s = scanner(false);
        feed(s, "HTTP/1.0 200 OK\r\n\r\nall of this is body");
        assertThat(seen).isEmpty();
        s.closed();
        assertThat(seen).containsExactly(new Seen(200, false));
        seen.clear();
        feed(scanner(false), "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
        assertThat(seen).containsExactly(new Seen(200, true));
    }

    @Test
    void bytesThatAreNotAnHttpResponseAreRefused() {
        assertThatThrownBy(() -> feed(scanner(false), "SSH-2.0-OpenSSH\r\n")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> feed(scanner(false), "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> feed(scanner(false), "HTTP/1.1 200 OK\r\n" + "a".repeat(ResponseScanner.MAX_LINE + 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static void feed(ResponseScanner s, String text) {
        ByteBuf bytes = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        try {
            s.scan(bytes);
        } finally {
            bytes.release();
        }
    }
}
