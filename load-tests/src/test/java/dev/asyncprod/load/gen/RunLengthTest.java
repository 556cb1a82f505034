package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.client.ClientTls;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run lasts its duration whatever its schedule: a connection whose next intended send falls past
 * the end stays open and idle until the end, over either protocol, so the run neither returns nor
 * leaves the server early. (HTTP/1.1 used to close and report done after its last scheduled send.)
 */
@Timeout(value = 60, unit = SECONDS)
class RunLengthTest {

    private static final Duration DURATION = Duration.ofSeconds(2);

    @Test
    void anHttp11ConnectionPastItsScheduleWaitsForTheEndOfTheRun() throws Exception {
        try (TestServer server = TestServer.http1()) {
            assertLastsItsDuration(server, false);
        }
    }

    @Test
    void anHttp2ConnectionPastItsScheduleWaitsForTheEndOfTheRun() throws Exception {
        try (TestServer server = TestServer.http2()) {
            assertLastsItsDuration(server, true);
        }
    }

    /** One connection at 0.5 req/s for 2 s: one send at the start; the next intended one is the end itself. */
    private static void assertLastsItsDuration(TestServer server, boolean http2) throws Exception {
        LoadSpec spec = new LoadSpec(server.uri("/hello"), "GET", Map.of(), new byte[0], 1, 1, DURATION,
                Duration.ofSeconds(10), 0.5, Duration.ZERO, ClientTls.defaults(), http2, 1);
        long before = System.nanoTime();

        LoadResult result = LoadGenerator.run(spec, IntervalListener.NONE);

        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("how long the run took").isGreaterThanOrEqualTo(DURATION);
        assertThat(result.requests()).isEqualTo(1);
        assertThat(result.errorsTotal()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.closedAt).hasSize(1));
        assertThat(Duration.ofNanos(server.closedAt.peek() - before)).as("when the server saw the connection close")
                .isGreaterThanOrEqualTo(DURATION);
    }
}
