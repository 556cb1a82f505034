package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A slot's exact semantics on a made-up clock: when each request is due, which outcomes count,
 * and what a request out at the end becomes. The window is [1 s, 11 s); the warm-up is [0, 1 s).
 */
@Timeout(value = 60, unit = SECONDS)
class RequestSlotTest {

    private static final long MS = 1_000_000L;
    private static final long START = 0;
    private static final long MEASURE_FROM = 1000 * MS;
    private static final long END = 11_000 * MS;
    private static final RunWindow WINDOW = new RunWindow(MEASURE_FROM, END);

    private final Recording closedRecording = new Recording(false);
    private final Recording openRecording = new Recording(true);

    private RequestSlot<String> closed() {
        return new RequestSlot<>(0, "GET /", null, WINDOW, closedRecording);
    }

    /** 100 req/s on one slot: one every 10 ms from the start. */
    private RequestSlot<String> open() {
        return new RequestSlot<>(0, "GET /", new Schedule(START, 0, 1, 100), WINDOW, openRecording);
    }

    @Test
    void closedModelIsDueAtOnceAndMeasuresFromTheSend() {
        RequestSlot<String> slot = closed();
        long now = 2000 * MS;

        assertThat(slot.nextDue(now)).isEqualTo(now);
        slot.sent(now);
        assertThat(slot.inFlight()).isTrue();
        assertThat(closedRecording.inFlightNow()).isEqualTo(1);
        slot.answered(now + 3 * MS, 200);

        assertThat(slot.inFlight()).isFalse();
        assertThat(closedRecording.inFlightNow()).isZero();
        assertThat(closedRecording.completed()).isEqualTo(1);
        var service = closedRecording.serviceTime().getIntervalHistogram();
        assertThat(service.getMaxValue()).isEqualTo(service.highestEquivalentValue(3000));
        assertThat(slot.request()).isEqualTo("GET /");
    }

    @Test
    void openModelIsDueAtItsIntendedTimesWhateverTheAnswersDo() {
        RequestSlot<String> slot = open();
        for (int i = 0; i < 100; i++) { // through the warm-up: 10 ms apart, sent on time
            long due = slot.nextDue(i * 10 * MS);
            slot.sent(due);
            slot.answered(due + MS, 200);
        }

        assertThat(slot.nextDue(995 * MS)).as("before its time: a timer waits").isEqualTo(1000 * MS);
        slot.sent(1000 * MS);
        slot.answered(1035 * MS, 200); // a 35 ms answer: the sends at 1010, 1020 and 1030 were held up
        assertThat(slot.nextDue(1035 * MS)).as("past its time: at once, late").isEqualTo(1010 * MS);
        slot.sent(1035 * MS);
        slot.answered(1036 * MS, 200);

        var service = openRecording.serviceTime().getIntervalHistogram();
        assertThat(service.getMaxValue()).isEqualTo(service.highestEquivalentValue(35_000));
        assertThat(openRecording.completed()).as("only the window's two").isEqualTo(2);
        assertThat(slot.nextDue(1036 * MS)).isEqualTo(1020 * MS);
    }

    @Test
    void openModelLatencyCountsFromTheIntendedTime() {
        RequestSlot<String> slot = new RequestSlot<>(0, "GET /", new Schedule(MEASURE_FROM, 0, 1, 100), WINDOW,
                openRecording);
        slot.nextDue(MEASURE_FROM);
        slot.sent(MEASURE_FROM);
        slot.answered(MEASURE_FROM + 35 * MS, 200);
        long intended = slot.nextDue(MEASURE_FROM + 35 * MS); // 10 ms in, sent 25 ms late
        slot.sent(MEASURE_FROM + 35 * MS);

        slot.answered(MEASURE_FROM + 36 * MS, 200);

        assertThat(intended).isEqualTo(MEASURE_FROM + 10 * MS);
        var response = openRecording.responseTime().getIntervalHistogram();
        var service = openRecording.serviceTime().getIntervalHistogram();
        assertThat(response.getTotalCount()).isEqualTo(2);
        // The late one: 26 ms from its intended time, 1 ms from its actual send.
        assertThat(response.getMinValue()).isEqualTo(response.lowestEquivalentValue(26_000));
        assertThat(service.getMinValue()).isEqualTo(1000);
    }

    @Test
    void nothingIsDueOnceTheRunIsOverOrTheScheduleReachesPastIt() {
        assertThat(closed().nextDue(END)).isEqualTo(RequestSlot.NOTHING_DUE);

        RequestSlot<String> sparse = new RequestSlot<>(0, "GET /", new Schedule(START, 0, 1, 0.1), WINDOW, openRecording);
        assertThat(sparse.nextDue(START)).isEqualTo(START); // then every 10 s: the next, at 10 s, is still in
        assertThat(sparse.nextDue(START)).isEqualTo(10_000 * MS);
        assertThat(sparse.nextDue(START)).as("20 s: past the end").isEqualTo(RequestSlot.NOTHING_DUE);
    }

    @Test
    void theWarmUpsRequestsAreSentButNeverRecorded() {
        RequestSlot<String> slot = closed();
        slot.sent(MEASURE_FROM - 1);
        slot.answered(MEASURE_FROM + 5 * MS, 500); // answered in the window, but sent before it
        slot.sent(MEASURE_FROM - 1);
        slot.failed(ErrorKind.READ);

        assertThat(closedRecording.completed()).isZero();
        assertThat(closedRecording.errorsTotal()).isZero();
        assertThat(closedRecording.inFlightNow()).isZero();
        assertThat(closedRecording.abandonedCount()).isZero();
    }

    @Test
    void failuresOfRequestsSentInTheWindowAreCounted() {
        RequestSlot<String> slot = closed();
        slot.sent(MEASURE_FROM);
        slot.failed(ErrorKind.READ);
        slot.sent(MEASURE_FROM + MS);
        slot.failed(ErrorKind.TIMEOUT);

        assertThat(closedRecording.errors(ErrorKind.READ)).isEqualTo(1);
        assertThat(closedRecording.errors(ErrorKind.TIMEOUT)).isEqualTo(1);
        assertThat(closedRecording.completed()).isZero();
    }

    @Test
    void anAnswerAfterTheEndIsAbandonedNotRecorded() {
        RequestSlot<String> slot = closed();
        slot.sent(END - MS);

        slot.answered(END, 200); // the stop has not run yet: the end itself decides

        assertThat(closedRecording.completed()).isZero();
        assertThat(closedRecording.abandonedCount()).isEqualTo(1);
        assertThat(closedRecording.inFlightNow()).isZero();
        assertThat(slot.inFlight()).isFalse();
    }

    @Test
    void aRequestOutWhenTheRunEndsIsAbandonedWhateverBecomesOfIt() {
        RequestSlot<String> answered = closed();
        RequestSlot<String> failed = closed();
        RequestSlot<String> idle = closed();
        answered.sent(END - MS);
        failed.sent(END - MS);

        answered.runEnded();
        failed.runEnded();
        idle.runEnded();
        assertThat(answered.inFlight()).as("still awaited").isTrue();
        answered.answered(END - MS / 2, 200); // even an answer that beat the end's clock: the stop had run
        failed.failed(ErrorKind.TIMEOUT);

        assertThat(closedRecording.completed()).isZero();
        assertThat(closedRecording.errorsTotal()).isZero();
        assertThat(closedRecording.abandonedCount()).isEqualTo(2);
        assertThat(closedRecording.inFlightNow()).isZero();
        assertThat(idle.inFlight()).isFalse();
    }

    @Test
    void aFailureBetweenTheEndAndTheStopStillCounts() {
        // The stop runs on the loop right after the end; in that moment a failure is still the window's.
        RequestSlot<String> slot = closed();
        slot.sent(END - MS);

        slot.failed(ErrorKind.READ);

        assertThat(closedRecording.errors(ErrorKind.READ)).isEqualTo(1);
        assertThat(closedRecording.abandonedCount()).isZero();
    }

    @Test
    void overdueOnlyWhileInFlightAndOnlyPastTheTimeout() {
        RequestSlot<String> slot = closed();
        assertThat(slot.overdue(END, 0)).isFalse();

        slot.sent(2000 * MS);

        assertThat(slot.overdue(2100 * MS, 100 * MS)).isFalse();
        assertThat(slot.overdue(2100 * MS + 1, 100 * MS)).isTrue();
    }

    @Test
    void aTimerFiringMoreThan2msLateInTheWindowIsAMissedSchedule() {
        RequestSlot<String> slot = open();
        long warmUp = slot.nextDue(START);
        slot.timerFired(warmUp + 50 * MS); // late, but the warm-up's
        for (long t = 10 * MS; t < MEASURE_FROM; t += 10 * MS) {
            slot.nextDue(t);
        }
        long first = slot.nextDue(MEASURE_FROM);
        slot.timerFired(first + RequestSlot.MISSED_THRESHOLD_NANOS); // on the threshold: not missed
        long second = slot.nextDue(first);
        slot.timerFired(second + RequestSlot.MISSED_THRESHOLD_NANOS + 1);

        assertThat(first).isEqualTo(MEASURE_FROM);
        assertThat(openRecording.missedScheduleCount()).isEqualTo(1);
    }
}
