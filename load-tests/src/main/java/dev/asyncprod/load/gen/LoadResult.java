package dev.asyncprod.load.gen;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A finished run.
 *
 * @param requests      answers (any status) that arrived within the run
 * @param inFlightAtEnd requests sent but unanswered when the run ended: awaited, not counted
 * @param serviceTime  latency from the actual send, in microseconds
 * @param responseTime latency from the intended send (open model); equal to serviceTime in the closed model
 */
public record LoadResult(LoadSpec spec, long startEpochMs, double durationSeconds, long requests,
                         Map<ErrorKind, Long> errors, long missedSchedule, long inFlightAtEnd,
                         Histogram serviceTime, Histogram responseTime) {

    public double rps() {
        return requests / durationSeconds;
    }

    public long errorsTotal() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
