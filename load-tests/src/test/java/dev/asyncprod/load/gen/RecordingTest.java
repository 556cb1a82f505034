package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What one recorded outcome adds: latencies in microseconds, statuses, errors and the run's counters. */
@Timeout(value = 60, unit = SECONDS)
class RecordingTest {

    private static final long T = 5_000_000_000L;

    @Test
    void theClosedModelRecordsOneLatencyFromTheSend() {
        Recording r = new Recording(false);

        r.answered(T - 7_000_000, T, T + 2_500_999, 200); // an intended time is ignored: there is no schedule

        Histogram service = r.serviceTime().getIntervalHistogram();
        assertThat(service.getTotalCount()).isEqualTo(1);
        assertThat(service.getMaxValue()).isEqualTo(service.highestEquivalentValue(2500)); // µs, truncated
        assertThat(r.oneLatency()).isTrue();
        assertThat(r.responseTime()).isSameAs(r.serviceTime());
        assertThat(r.completed()).isEqualTo(1);
    }

    @Test
    void theOpenModelAlsoRecordsTheLatencyFromTheIntendedSend() {
        Recording r = new Recording(true);

        r.answered(T - 7_000_000, T, T + 2_000_000, 200); // sent 7 ms late: the previous answer held the slot

        assertThat(r.serviceTime().getIntervalHistogram().getMaxValue()).isEqualTo(2000);
        assertThat(r.responseTime().getIntervalHistogram().getMaxValue())
                .isEqualTo(new Histogram(3).highestEquivalentValue(9000));
        assertThat(r.oneLatency()).isFalse();
    }

    @Test
    void aClockThatSeemsToRunBackwardsRecordsZero() {
        Recording r = new Recording(true);

        r.answered(T + 1000, T + 1000, T, 200);

        assertThat(r.serviceTime().getIntervalHistogram().getMaxValue()).isZero();
        assertThat(r.responseTime().getIntervalHistogram().getMaxValue()).isZero();
    }

    @Test
    void statusesAreCountedByCodeAndFrom400OnAlsoAsErrors() {
        Recording r = new Recording(false);

        r.answered(T, T, T, 200);
        r.answered(T, T, T, 200);
        r.answered(T, T, T, 404);
        r.answered(T, T, T, 503);
        r.answered(T, T, T, 0); // no status read (an HTTP/2 answer without :status): counted under 0
        r.answered(T, T, T, 600); // beyond the table: an answer, not counted by code

        assertThat(r.statusCounts()).containsExactly(entry(0, 1L), entry(200, 2L), entry(404, 1L), entry(503, 1L));
        assertThat(r.errors(ErrorKind.STATUS)).isEqualTo(3);
        assertThat(r.completed()).isEqualTo(6);
        assertThat(r.errorsTotal()).isEqualTo(3);
    }

    @Test
    void failuresCountByKindAndTheFirstTlsReasonIsKept() {
        Recording r = new Recording(false);

        r.failed(ErrorKind.READ);
        r.failed(ErrorKind.TIMEOUT);
        r.failed(ErrorKind.TIMEOUT);
        r.tlsFailed("certificate expired");
        r.tlsFailed("something else");

        assertThat(r.errors(ErrorKind.READ)).isEqualTo(1);
        assertThat(r.errors(ErrorKind.TIMEOUT)).isEqualTo(2);
        assertThat(r.errors(ErrorKind.TLS)).isEqualTo(2);
        assertThat(r.errors(ErrorKind.CONNECT)).isZero();
        assertThat(r.errorsTotal()).isEqualTo(5);
        assertThat(r.firstTlsFailure()).isEqualTo("certificate expired");
        assertThat(r.completed()).isZero();
    }

    @Test
    void missedSchedulesAbandonedRequestsAndInFlightAreCountersOfTheirOwn() {
        Recording r = new Recording(true);

        r.missedSchedule();
        r.abandoned();
        r.abandoned();
        r.inFlight().incrementAndGet();

        assertThat(r.missedScheduleCount()).isEqualTo(1);
        assertThat(r.abandonedCount()).isEqualTo(2);
        assertThat(r.inFlightNow()).isEqualTo(1);
        assertThat(r.errorsTotal()).isZero();
    }
}
