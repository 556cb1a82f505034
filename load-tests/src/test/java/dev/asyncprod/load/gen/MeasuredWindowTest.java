package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The window listener is told at the measured window's edges, on the window's own clock: after the
 * warm-up, and once more when nothing more is recorded, before the run returns. What {@code compare}
 * reads of the server there covers the requests the run counts.
 */
@Timeout(value = 60, unit = SECONDS)
class MeasuredWindowTest {

    @Test
    void opensAfterTheWarmUpAndClosesAtTheEndBeforeTheRunReturns() throws Exception {
        long[] at = new long[2];
        WindowListener window = new WindowListener() {
            @Override
            public void opened() {
                at[0] = System.nanoTime();
            }

            @Override
            public void closed() {
                at[1] = System.nanoTime();
            }
        };
        try (TestServer server = TestServer.http1()) {
            LoadSpec spec = new LoadSpec(server.uri("/hello"), "GET", Map.of(), new byte[0], 2, 1, Duration.ofSeconds(1),
                    Duration.ofSeconds(5), 0, Duration.ofMillis(500));
            long before = System.nanoTime();

            LoadResult result = LoadGenerator.run(spec, IntervalListener.NONE, window);

            long returned = System.nanoTime();
            assertThat(result.requests()).isPositive();
            assertThat(Duration.ofNanos(at[0] - before)).as("window opened after").isGreaterThanOrEqualTo(Duration.ofMillis(500));
            assertThat(Duration.ofNanos(at[1] - at[0])).as("window length").isBetween(Duration.ofMillis(950), Duration.ofMillis(1200));
            assertThat(at[1]).as("closed before the run returned").isPositive().isLessThanOrEqualTo(returned);
        }
    }
}
