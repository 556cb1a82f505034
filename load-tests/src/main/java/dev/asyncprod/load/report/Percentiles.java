package dev.asyncprod.load.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The percentiles every report shows (the run's summary, its JSON, the comparison's tables and
 * charts), read from a histogram of microseconds, in milliseconds, and how they are printed.
 */
public final class Percentiles {

    private static final String[] NAMES = {"p50", "p90", "p99", "p999", "p9999"};
    private static final double[] LEVELS = {50, 90, 99, 99.9, 99.99};
    /** The levels as people write them, the maximum last: the columns and axes of every report. */
    public static final List<String> LABELS = List.of("p50", "p90", "p99", "p99.9", "p99.99", "max");

    private Percentiles() {
    }

    /** {@code p50, p90, p99, p999, p9999, max, mean} in milliseconds. */
    public static Map<String, Double> millis(Histogram micros) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            out.put(NAMES[i], ms(micros.getValueAtPercentile(LEVELS[i])));
        }
        out.put("max", ms(micros.getMaxValue()));
        out.put("mean", Math.round(micros.getMean()) / 1000.0);
        return out;
    }

    /** One aligned row: label, then p50 p90 p99 p99.9 p99.99 max. */
    public static String row(String label, Histogram micros) {
        Map<String, Double> p = millis(micros);
        return String.format("  %-14s %9s %9s %9s %9s %9s %9s", label, fmt(p.get("p50")), fmt(p.get("p90")),
                fmt(p.get("p99")), fmt(p.get("p999")), fmt(p.get("p9999")), fmt(p.get("max")));
    }

    public static String header() {
        return String.format("  %-14s %9s %9s %9s %9s %9s %9s", "latency (ms)", "p50", "p90", "p99", "p99.9", "p99.99", "max");
    }

    /** The value at {@code percentile} in milliseconds; 100 is the maximum. */
    public static double at(Histogram micros, double percentile) {
        return ms(percentile >= 100 ? micros.getMaxValue() : micros.getValueAtPercentile(percentile));
    }

    /** The {@link #LABELS}' values, in milliseconds. */
    public static double[] all(Histogram micros) {
        double[] values = new double[LEVELS.length + 1];
        for (int i = 0; i < LEVELS.length; i++) {
            values[i] = at(micros, LEVELS[i]);
        }
        values[LEVELS.length] = at(micros, 100);
        return values;
    }

    /** Milliseconds with the digits that matter: {@code 1234}, {@code 56.7}, {@code 0.58}. */
    public static String fmt(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms)
                : String.format(Locale.ROOT, "%.2f", ms);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
