package dev.asyncprod.load.gen;

import org.HdrHistogram.Histogram;

/** Told once a second what the last second looked like (progress lines, interval logs). */
public interface IntervalListener {

    IntervalListener NONE = (elapsed, service, response, errors, inFlight) -> { };

    /**
     * @param elapsedSeconds since the run started
     * @param serviceTime    this interval's latencies from the actual send (µs); timestamps set
     * @param responseTime   this interval's latencies from the intended send (µs); timestamps set
     */
    void interval(double elapsedSeconds, Histogram serviceTime, Histogram responseTime, long errorsTotal, int inFlight);
}
