package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code /metrics} in Prometheus text format, in every mode. */
class MetricsTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes();

    @ParameterizedTest
    @EnumSource(Mode.class)
    void requestsAreCountedByRouteStatusAndMode(Mode mode) {
        for (int i = 0; i < 7; i++) {
            Http.get(servers.uri(mode, "/hello"));
        }
        Http.get(servers.uri(mode, "/random-" + System.nanoTime()));

        HttpResponse<String> r = Http.get(servers.uri(mode, "/metrics"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        String m = r.body();
        String label = "mode=\"" + mode.label() + "\"";
        assertThat(count(m, "http_server_requests_seconds_count\\{method=\"GET\"," + label + ",route=\"/hello\",status=\"200\"}"))
                .isEqualTo(7);
        assertThat(count(m, "http_server_requests_seconds_count\\{method=\"GET\"," + label + ",route=\"unmatched\",status=\"404\"}"))
                .isEqualTo(1);
        assertThat(m).doesNotContain("route=\"/random-");
        assertThat(m).contains("http_server_requests_seconds_bucket{", "http_server_in_flight{" + label,
                "http_server_rejected_total{" + label, "http_server_timed_out_total{" + label,
                "http_server_cancelled_total{" + label, "event_loop_lag_seconds{loop=\"event-loop-1\"}",
                "event_loop_pending_tasks{", "jvm_threads_live_threads", "jvm_memory_used_bytes", "jvm_gc_");
        if (mode == Mode.BLOCKING) {
            assertThat(m).contains("execution_pool_active{" + label, "execution_pool_queued{" + label);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gaugesStillReadAfterAGarbageCollection(Mode mode) {
        // Micrometer holds a gauge's object weakly; a supplier nothing else holds would read NaN from here on.
        System.gc();
        String m = Http.get(servers.uri(mode, "/metrics")).body();

        assertThat(m.lines().filter(l -> l.startsWith("execution_pool_") || l.startsWith("email_")))
                .isNotEmpty()
                .noneMatch(l -> l.endsWith(" NaN"));
    }

    private static long count(String metrics, String series) {
        Matcher matcher = Pattern.compile("^" + series + " (\\d+)", Pattern.MULTILINE).matcher(metrics);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }
}
