package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.RawConnection;
import dev.asyncprod.server.support.RawConnection.RawResponse;
import dev.asyncprod.server.support.ServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTP/1.1 connection handling: reuse, pipelining in request order, and closing when asked. */
class KeepAliveAndPipeliningTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes();

    @ParameterizedTest
    @EnumSource(Mode.class)
    void oneConnectionServesManyRequests(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            for (int i = 0; i < 20; i++) {
                RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello");
                assertThat(r.headers()).doesNotContainKey("connection");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pipelinedAnswersComeBackInRequestOrderEvenWhenLaterOnesFinishFirst(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            c.send("GET /sleep?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /sleep?ms=1 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /sleep?ms=20 HTTP/1.1\r\nHost: t\r\n\r\n");

            assertThat(longField(c.read().body(), "slept_ms")).isEqualTo(300);
            assertThat(longField(c.read().body(), "slept_ms")).isEqualTo(1);
            assertThat(c.read().body()).isEqualTo("hello");
            assertThat(c.read().status()).isEqualTo(404);
            assertThat(longField(c.read().body(), "slept_ms")).isEqualTo(20);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void connectionCloseIsHonouredAfterTheAnswer(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").read();

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void http10ClosesUnlessAskedToKeepAlive(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawResponse r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.headers()).containsEntry("connection", "keep-alive");

            RawResponse last = c.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertThat(last.body()).isEqualTo("hello");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
