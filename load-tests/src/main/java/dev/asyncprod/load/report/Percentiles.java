package dev.asyncprod.load.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The percentiles every report shows, read from a histogram of microseconds, in milliseconds. */
public final class Percentiles {

    private static final String[] NAMES = {"p50", "p90", "p99", "p999", "p9999"};
    private static final double[] LEVELS = {50, 90, 99, 99.9, 99.99};

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

    static String fmt(double ms) {
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
