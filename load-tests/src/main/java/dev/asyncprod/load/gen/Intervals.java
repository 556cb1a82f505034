package dev.asyncprod.load.gen;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Takes the recorders' interval histograms once a second, adds them to the run's totals and
 * passes them on. Recycles the interval histograms, so a run of any length allocates nothing per tick.
 */
final class Intervals {

    private final Recording recording;
    private final Histogram serviceTotal;
    private final Histogram responseTotal;
    private final IntervalListener listener;
    private final List<Long> perSecond = new ArrayList<>();
    private Histogram serviceInterval;
    private Histogram responseInterval;
    private long startNanos;

    Intervals(Recording recording, Histogram serviceTotal, Histogram responseTotal, IntervalListener listener) {
        this.recording = recording;
        this.serviceTotal = serviceTotal;
        this.responseTotal = responseTotal;
        this.listener = listener;
    }

    /** Answers in each whole second so far. */
    synchronized List<Long> perSecond() {
        return List.copyOf(perSecond);
    }

    void begin(long startNanos) {
        this.startNanos = startNanos;
        // Discard anything recorded before the start (nothing, normally).
        serviceInterval = recording.serviceTime().getIntervalHistogram();
        responseInterval = recording.oneLatency() ? serviceInterval : recording.responseTime().getIntervalHistogram();
    }

    /** Once a second, and once at the end (where an empty last interval is not reported). */
    synchronized void tick() {
        tick(false);
    }

    synchronized void tick(boolean finalTick) {
        serviceInterval = recording.serviceTime().getIntervalHistogram(serviceInterval);
        responseInterval = recording.oneLatency() ? serviceInterval : recording.responseTime().getIntervalHistogram(responseInterval);
        serviceTotal.add(serviceInterval);
        responseTotal.add(responseInterval);
        if (!finalTick) {
            perSecond.add(serviceInterval.getTotalCount());
        } else if (serviceInterval.getTotalCount() == 0) {
            return;
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        listener.interval(elapsed, serviceInterval, responseInterval, recording.errorsTotal(), recording.inFlightNow());
    }
}
