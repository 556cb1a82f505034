package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.longAt;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static dev.asyncprod.server.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.RawConnection;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Request timeout, cancellation on disconnect, and load shedding: the work stops, the server keeps serving. */
class TimeLimitsTest {

    @Nested
    class Timeouts {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes("--request-timeout=300ms");

        @ParameterizedTest
        @EnumSource(Mode.class)
        void aRequestOverTheTimeoutGets504AndItsWorkIsCancelled(Mode mode) {
            HttpResponse<String> r = Http.get(servers.uri(mode, "/gather?ms=5000,5000"));

            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(stringField(r.body(), "error")).isEqualTo("timeout");
            assertProblem(r, 504, "timeout");
            assertThat(r.headers().firstValue("x-request-id")).isPresent();
            assertWorkStops(servers, mode);
            assertThat(longAt(Http.get(servers.uri(mode, "/info")).body(), "http_server", "timed_out")).isPositive();
            assertThat(Http.get(servers.uri(mode, "/sleep?ms=10")).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Disconnects {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes();

        @ParameterizedTest
        @EnumSource(Mode.class)
        void aClientThatGoesAwayCancelsItsRequest(Mode mode) throws Exception {
            try (RawConnection c = new RawConnection(servers.port(mode))) {
                c.send("GET /sleep?ms=20000 HTTP/1.1\r\nHost: t\r\n\r\n");
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        longAt(Http.get(servers.uri(mode, "/info")).body(), "http_server", "in_flight") >= 1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    longAt(Http.get(servers.uri(mode, "/info")).body(), "http_server", "cancelled") >= 1);
            assertWorkStops(servers, mode);
        }
    }

    @Nested
    class Shedding {
        @RegisterExtension
        static final ServerExtension server = ServerExtension.of(Mode.ASYNC, "--max-inflight=5", "--max-connections=20");

        @Test
        void overMaxInflightIs503AtOnceWhileHealthAnswers() {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                List<CompletableFuture<HttpResponse<String>>> holding = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    holding.add(client.sendAsync(HttpRequest.newBuilder(server.uri(Mode.ASYNC, "/sleep?ms=1500")).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        longAt(Http.get(server.uri(Mode.ASYNC, "/info")).body(), "http_server", "in_flight") >= 5);

                HttpResponse<String> shed = Http.get(server.uri(Mode.ASYNC, "/sleep?ms=1"));
                assertThat(shed.statusCode()).isEqualTo(503);
                assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
                assertProblem(shed, 503, "overloaded");
                assertThat(Http.get(server.uri(Mode.ASYNC, "/health")).statusCode()).isEqualTo(200);
                assertThat(longAt(Http.get(server.uri(Mode.ASYNC, "/info")).body(), "http_server", "rejected")).isPositive();

                assertThat(holding).allSatisfy(h -> assertThat(join(h).statusCode()).isEqualTo(200));
                assertThat(Http.get(server.uri(Mode.ASYNC, "/sleep?ms=1")).statusCode()).isEqualTo(200);
            }
        }

        @Test
        void connectionsOverTheLimitAreClosedAtAccept() throws Exception {
            List<RawConnection> open = new ArrayList<>();
            try {
                for (int i = 0; i < 25; i++) {
                    open.add(new RawConnection(server.port(Mode.ASYNC)));
                }
                long refused = 0;
                for (RawConnection c : open) {
                    if (c.closedByServerWithin(Duration.ofMillis(500))) {
                        refused++;
                    }
                }
                assertThat(refused).as("connections closed at accept").isGreaterThanOrEqualTo(5);
            } finally {
                for (RawConnection c : open) {
                    c.close();
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(longAt(Http.get(server.uri(Mode.ASYNC, "/info")).body(), "http_server", "refused_connections")).isPositive());
        }
    }

    @Nested
    class SlowClients {
        @RegisterExtension
        static final ServerExtension server = ServerExtension.of(Mode.ASYNC, "--idle-timeout=1s");

        @Test
        void aConnectionThatSendsNothingIsClosed() throws Exception {
            try (RawConnection silent = new RawConnection(server.port(Mode.ASYNC))) {
                assertThat(silent.closedByServerWithin(Duration.ofSeconds(10))).isTrue();
            }
        }

        @Test
        void aRequestTrickledByteByByteIsCutOff() throws Exception {
            try (java.net.Socket slowloris = new java.net.Socket("127.0.0.1", server.port(Mode.ASYNC))) {
                var out = slowloris.getOutputStream();
                out.write("GET /hello HTTP/1.1\r\nHost: t\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                boolean cutOff = false;
                while (System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(15)) {
                    try {
                        out.write('X'); // one byte of a header that never ends, every 200 ms
                        out.flush();
                        Thread.sleep(200);
                    } catch (java.io.IOException closed) {
                        cutOff = true;
                        break;
                    }
                }
                assertThat(cutOff).as("the server closed the trickling connection").isTrue();
            }
            assertThat(Http.get(server.uri(Mode.ASYNC, "/hello")).body()).isEqualTo("hello");
        }
    }

    /** The cancelled work really stopped: no thread still sleeping, nothing still in flight. */
    private static void assertWorkStops(ServerExtension servers, Mode mode) {
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            String info = Http.get(servers.uri(mode, "/info")).body();
            assertThat(longAt(info, "http_server", "in_flight")).as("in flight").isLessThanOrEqualTo(1); // this /info itself
            if (mode == Mode.BLOCKING) {
                assertThat(longAt(info, "execution_pool", "active")).as("pool threads still blocked").isZero();
            }
            if (mode == Mode.VIRTUAL || mode == Mode.VIRTUAL_LOOP) {
                assertThat(longAt(info, "execution_pool", "in_progress")).as("virtual threads still running").isZero();
            }
        });
    }
}
