package dev.asyncprod.server.email;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff for transient failures: the n-th retry waits {@code base * 2^(n-1)}, capped,
 * with "equal jitter" (half fixed, half random) so that jobs failed together do not retry together.
 *
 * @param maxAttempts attempts in all, the first included; then the job fails
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {

    /** The longest wait between attempts; Postfix's own backoff runs from 300 s to 4,000 s. */
    public static final Duration DEFAULT_CAP = Duration.ofMinutes(10);

    /** The wait before the next attempt, after {@code attempts} failed ones; empty when none is left. */
    public Optional<Duration> delayAfter(int attempts) {
        if (attempts >= maxAttempts) {
            return Optional.empty();
        }
        long start = Math.min(base.toMillis(), cap.toMillis());
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        // A shift past the sign bit would turn an absurd base negative; the cap is the answer then.
        long exponential = doublings < Long.numberOfLeadingZeros(start) - 1 ? start << doublings : Long.MAX_VALUE;
        long capped = Math.min(exponential, cap.toMillis());
        long half = capped / 2;
        return Optional.of(Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1)));
    }
}
