package dev.asyncprod.load.gen;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A finished run.
 *
 * @param requests      answers (any status) that arrived within the run
 * @param inFlightAtEnd requests sent but unanswered when the run ended: awaited, not counted
 * @param serviceTime  latency from the actual send, in microseconds
 * @param responseTime latency from the intended send (open model); equal to serviceTime in the closed model
 * @param perSecond    answers in each whole second of the run, in order: how the rate moved
 * @param jitMillis    how long the generator's own JIT compiled during the run
 * @param statuses     answers by status code
 * @param tlsFailure   the first TLS failure's reason, or null
 */
public record LoadResult(LoadSpec spec, long startEpochMs, double durationSeconds, long requests,
                         Map<ErrorKind, Long> errors, long missedSchedule, long inFlightAtEnd,
                         Histogram serviceTime, Histogram responseTime, List<Long> perSecond, long jitMillis,
                         Map<Integer, Long> statuses, String tlsFailure) {

    public double rps() {
        return requests / durationSeconds;
    }

    /** Answers that were not errors (a 2xx or 3xx in time), per second: what a bound is compared with. */
    public double okRps() {
        return (requests - errorsTotal()) / durationSeconds;
    }

    /** Every request that was answered or failed within the run: what an error rate divides by. */
    public long attempts() {
        return requests + errorsTotal() - errors.getOrDefault(ErrorKind.STATUS, 0L);
    }

    /** Nothing succeeded: every request failed or was answered with an error status. */
    public boolean allFailed() {
        return requests - errors.getOrDefault(ErrorKind.STATUS, 0L) == 0;
    }

    public long errorsTotal() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
