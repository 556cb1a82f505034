package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The open model's intended send times: per connection every c/R, connection k offset by k/R. */
@Timeout(value = 60, unit = SECONDS)
class ScheduleTest {

    private static final long START = 1_000_000_000L;

    @Test
    void eachConnectionSendsEveryConnectionsOverRateOffsetByItsIndexOverRate() {
        Schedule third = new Schedule(START, 2, 4, 1000); // 4 connections at 1,000 req/s: each every 4 ms

        assertThat(List.of(third.nextIntended(), third.nextIntended(), third.nextIntended()))
                .containsExactly(START + 2_000_000, START + 6_000_000, START + 10_000_000);
    }

    @Test
    void allConnectionsTogetherSendEvenlyAtTheRate() {
        List<Long> all = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Schedule s = new Schedule(START, k, 3, 300);
            for (int i = 0; i < 4; i++) {
                all.add(s.nextIntended());
            }
        }
        Collections.sort(all);

        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i) - START).as("send " + i).isEqualTo(Math.round(i * 1e9 / 300));
        }
    }

    @Test
    void intervalsThatAreNoWholeNanosecondAreRoundedOnceNotPerSend() {
        // 3 req/s over 2 connections: 666,666,666.67 ns apart, rounded to ...667; connection 1 starts 333,333,333 ns in.
        Schedule first = new Schedule(START, 0, 2, 3);
        Schedule second = new Schedule(START, 1, 2, 3);

        assertThat(first.nextIntended()).isEqualTo(START);
        assertThat(first.nextIntended()).isEqualTo(START + 666_666_667);
        assertThat(second.nextIntended()).isEqualTo(START + 333_333_333);
        assertThat(second.nextIntended()).isEqualTo(START + 333_333_333 + 666_666_667);
    }

    @Test
    void theScheduleDoesNotWaitForAnyone() {
        // Intended times are a function of the start and the rate only: asking late skips nothing and bunches nothing.
        Schedule s = new Schedule(START, 0, 1, 10);
        s.nextIntended();

        assertThat(s.nextIntended()).isEqualTo(START + 100_000_000);
        assertThat(s.nextIntended()).isEqualTo(START + 200_000_000);
    }
}
