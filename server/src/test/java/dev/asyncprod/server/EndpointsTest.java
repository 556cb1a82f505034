package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.longs;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every endpoint answers the same shape in every execution model. */
class EndpointsTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes();

    private static final Map<Mode, String> THREAD_PREFIX = Map.of(
            Mode.ASYNC, "event-loop-", Mode.BLOCKING, "blocking-", Mode.VIRTUAL, "virtual-",
            Mode.VIRTUAL_LOOP, "virtual-loop-");

    @ParameterizedTest
    @EnumSource(Mode.class)
    void helloIsPlainText(Mode mode) {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/hello"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.headers().firstValue("x-request-id")).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void sleepReportsDelayModeAndTheThreadThatAnswered(Mode mode) {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/sleep?ms=50"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(longField(r.body(), "slept_ms")).isEqualTo(50);
        assertThat(stringField(r.body(), "mode")).isEqualTo(mode.label());
        assertThat(stringField(r.body(), "thread")).startsWith(THREAD_PREFIX.get(mode));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void sleepZeroAnswersAtOnce(Mode mode) {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/sleep?ms=0"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(longField(r.body(), "slept_ms")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gatherReportsEveryTaskAndTheTotal(Mode mode) {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/gather?ms=20,40,60"));

        assertThat(r.statusCode()).isEqualTo(200);
        String body = r.body();
        assertThat(stringField(body, "mode")).isEqualTo(mode.label());
        assertThat(body).contains("\"name\":\"task-1\"", "\"name\":\"task-2\"", "\"name\":\"task-3\"");
        assertThat(longs(body, "delay_ms")).containsExactly(20L, 40L, 60L);
        var starts = longs(body, "start_ms");
        var ends = longs(body, "end_ms");
        for (int i = 0; i < 3; i++) {
            assertThat(ends.get(i) - starts.get(i)).as("task %d waited its delay", i + 1)
                    .isGreaterThanOrEqualTo(longs(body, "delay_ms").get(i) - 1);
        }
        assertThat(longField(body, "total_ms")).isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void healthIsUp(Mode mode) {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/health"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void infoDescribesTheProcess(Mode mode) {
        String body = Http.get(servers.uri(mode, "/info")).body();

        assertThat(stringField(body, "mode")).isEqualTo(mode.label());
        assertThat(stringField(body, "transport")).isIn("epoll", "nio", "io_uring");
        assertThat(longField(body, "event_loops")).isPositive();
        assertThat(stringField(body, "java_version")).isNotBlank();
        assertThat(longField(body, "uptime_ms")).isNotNegative();
        assertThat(longField(body, "blocking_threads")).isEqualTo(mode == Mode.BLOCKING ? 200 : 0);
    }
}
