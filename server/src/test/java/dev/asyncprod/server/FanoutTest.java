package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.longs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.client.TestUpstream;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /fanout} in every mode: combined answers, partial failure, all failing, and the deadline. */
class FanoutTest {

    @Nested
    class AgainstItself {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes();

        @ParameterizedTest
        @EnumSource(Mode.class)
        void everyCallIsReportedWithStatusAndLatency(Mode mode) {
            HttpResponse<String> r = Http.get(servers.uri(mode, "/fanout?n=5&ms=50"));

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(longField(r.body(), "calls")).isEqualTo(5);
            assertThat(longs(r.body(), "failed")).containsExactly(0L);
            assertThat(longs(r.body(), "call")).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(longs(r.body(), "status")).containsOnly(200L).hasSize(5);
            assertThat(longs(r.body(), "latency_ms")).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(50));
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void callsOverlapExceptInBlockingMode(Mode mode) {
            long total = longField(Http.get(servers.uri(mode, "/fanout?n=4&ms=250")).body(), "total_ms");

            if (mode == Mode.BLOCKING) {
                assertThat(total).as("one after another").isGreaterThanOrEqualTo(1000);
            } else {
                assertThat(total).as("at once").isLessThan(1000);
            }
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void callCountAndDelayAreValidated(Mode mode) {
            assertThat(Http.get(servers.uri(mode, "/fanout?n=0&ms=1")).statusCode()).isEqualTo(400);
            assertThat(Http.get(servers.uri(mode, "/fanout?n=101&ms=1")).statusCode()).isEqualTo(400);
            assertThat(Http.get(servers.uri(mode, "/fanout?n=2")).statusCode()).isEqualTo(400);
        }
    }

    @Nested
    class AgainstAFlakyUpstream {
        static TestUpstream upstream;

        static {
            try {
                upstream = new TestUpstream().failSleepsInThrees();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes(
                "--upstream=http://127.0.0.1:" + upstream.port(), "--upstream-timeout=300ms", "--fanout-deadline=20s");

        @AfterAll
        static void stopUpstream() {
            upstream.close();
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void failedCallsAreReportedAndTheRestStillAnswer(Mode mode) {
            HttpResponse<String> r = Http.get(servers.uri(mode, "/fanout?n=6&ms=10"));

            assertThat(r.statusCode()).isEqualTo(200);
            String body = r.body();
            assertThat(longField(body, "calls")).isEqualTo(6);
            assertThat(body).contains("\"failed\":\"response_timeout\"", "\"failed\":\"bad_status\"");
            assertThat(longs(body, "status")).containsOnly(200L, 503L);
            assertThat(List.of(body.split("\"failed\":\"response_timeout\"")).size() - 1).isEqualTo(2);
            assertThat(List.of(body.split("\"failed\":\"bad_status\"")).size() - 1).isEqualTo(2);
        }
    }

    @Nested
    class AgainstNothing {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes("--upstream=http://127.0.0.1:1");

        @ParameterizedTest
        @EnumSource(Mode.class)
        void allCallsFailingIs502(Mode mode) {
            HttpResponse<String> r = Http.get(servers.uri(mode, "/fanout?n=3&ms=10"));

            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(longs(r.body(), "failed")).containsExactly(3L);
            assertThat(r.body()).contains("\"failed\":\"connect_failed\"", "127.0.0.1:1: connection refused");
        }
    }

    @Nested
    class WithATightDeadline {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes("--fanout-deadline=400ms");

        @ParameterizedTest
        @EnumSource(Mode.class)
        void passingTheDeadlineIs504WithWhatAnswered(Mode mode) {
            HttpResponse<String> r = Http.get(servers.uri(mode, "/fanout?n=3&ms=2000"));

            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("\"failed\":\"deadline\"");
            assertThat(longField(r.body(), "total_ms")).isLessThan(2000);
        }
    }
}
