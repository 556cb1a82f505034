package dev.asyncprod.server.email;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The back-off schedule a job that keeps failing transiently follows: doubling, capped, jittered, then given up. */
@Timeout(value = 60, unit = SECONDS)
class RetryPolicyTest {

    private static final int DRAWS = 500; // the jitter is random: every bound is checked over many draws

    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(4));

    @Test
    void eachRetryWaitsBetweenHalfAndAllOfTheBaseDoubledPerFailedAttempt() {
        // After n failed attempts the full wait is base * 2^(n-1): 1 s, 2 s, 4 s, then the cap.
        long[] fullMillis = {1_000, 2_000, 4_000};
        for (int attempts = 1; attempts <= fullMillis.length; attempts++) {
            long full = fullMillis[attempts - 1];
            for (int i = 0; i < DRAWS; i++) {
                assertThat(policy.delayAfter(attempts)).hasValueSatisfying(wait ->
                        assertThat(wait.toMillis()).isBetween(full / 2, full));
            }
        }
    }

    @Test
    void theCapBoundsTheWaitHoweverManyAttemptsFailed() {
        RetryPolicy patient = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), RetryPolicy.DEFAULT_CAP);
        // 1 s doubled reaches ten minutes after 11 attempts; far past that the doubling must not overflow.
        for (int attempts : new int[] {11, 12, 31, 64, 1_000_000}) {
            for (int i = 0; i < DRAWS; i++) {
                assertThat(patient.delayAfter(attempts)).hasValueSatisfying(wait -> assertThat(wait)
                        .isBetween(RetryPolicy.DEFAULT_CAP.dividedBy(2), RetryPolicy.DEFAULT_CAP));
            }
        }
    }

    @Test
    void aBaseLongerThanTheCapWaitsTheCapAtEveryAttemptRatherThanOverflowing() {
        RetryPolicy absurd = new RetryPolicy(Integer.MAX_VALUE, Duration.ofDays(200), RetryPolicy.DEFAULT_CAP);

        for (int attempts : new int[] {1, 2, 31, 40, 1_000}) {
            assertThat(absurd.delayAfter(attempts)).get()
                    .satisfies(wait -> assertThat(wait).isBetween(RetryPolicy.DEFAULT_CAP.dividedBy(2), RetryPolicy.DEFAULT_CAP));
        }
    }

    @Test
    void noRetryIsLeftOnceEveryAttemptIsUsed() {
        assertThat(policy.delayAfter(5)).isPresent(); // the sixth attempt is still to come
        assertThat(policy.delayAfter(6)).isEmpty();
        assertThat(policy.delayAfter(7)).isEmpty();
        assertThat(new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(4)).delayAfter(1)).isEmpty();
    }

    @Test
    void jobsThatFailedTogetherDoNotRetryTogether() {
        Set<Duration> waits = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            waits.add(policy.delayAfter(3).orElseThrow());
        }
        // 100 draws from 2,001 possible milliseconds: all alike would mean no jitter at all.
        assertThat(waits).hasSizeGreaterThan(50);
    }
}
