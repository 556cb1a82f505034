package dev.asyncprod.load.report;

import dev.asyncprod.load.gen.LoadResult;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail condition on a run, in k6's spirit, for a CI pipeline: {@code p99<200ms},
 * {@code p99.9<=1s}, {@code mean<50ms}, {@code max<2s}, {@code errors<1%}, {@code errors<=10},
 * {@code rps>5000}. Latencies are the ones the summary prints first: service time in the closed
 * model, the corrected response time (from the intended send) in the open model. {@code errors}
 * counts every failed request and every answer of 400 or above; as a percentage, of all requests
 * that were answered or failed. {@code rps} is answers per second, as the summary's figure.
 */
public record Threshold(String expression, String metric, String operator, double limit, boolean percent) {

    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*(p\\d+(?:\\.\\d+)?|mean|max|errors|rps)\\s*(<=|>=|<|>)\\s*(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|%)?\\s*");

    /** Parses {@code text}; a malformed one throws with what is accepted. */
    public static Threshold parse(String text) {
        Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--threshold '" + text + "': expected METRIC OP VALUE, such as p99<200ms,"
                    + " errors<1%, rps>5000 (metrics p50..p99.99, mean, max, errors, rps; ops < <= > >=)");
        }
        String metric = m.group(1);
        String unit = m.group(4);
        double value = Double.parseDouble(m.group(3));
        boolean latency = metric.startsWith("p") || metric.equals("mean") || metric.equals("max");
        if (latency) {
            if (unit == null || unit.equals("%")) {
                throw new IllegalArgumentException("--threshold '" + text + "': a latency needs a unit: us, ms or s");
            }
            value = switch (unit) {
                case "us" -> value / 1000;
                case "s" -> value * 1000;
                default -> value;
            };
            double level = metric.startsWith("p") ? Double.parseDouble(metric.substring(1)) : 0;
            if (metric.startsWith("p") && (level <= 0 || level > 100)) {
                throw new IllegalArgumentException("--threshold '" + text + "': a percentile is from p0.001 to p100");
            }
        } else if (unit != null && !(unit.equals("%") && metric.equals("errors"))) {
            throw new IllegalArgumentException("--threshold '" + text + "': " + metric + " takes no unit"
                    + (metric.equals("errors") ? " but %" : ""));
        }
        return new Threshold(text.strip(), metric, m.group(2), value, "%".equals(unit));
    }

    /** The run's value for this threshold's metric: milliseconds, a count, a percentage or a rate. */
    public double actual(LoadResult r) {
        var latency = r.spec().openModel() ? r.responseTime() : r.serviceTime();
        return switch (metric) {
            case "mean" -> latency.getMean() / 1000.0;
            case "max" -> latency.getMaxValue() / 1000.0;
            case "errors" -> percent ? 100.0 * r.errorsTotal() / Math.max(1, r.attempts()) : r.errorsTotal();
            case "rps" -> r.rps();
            default -> Percentiles.at(latency, Double.parseDouble(metric.substring(1)));
        };
    }

    public boolean holds(LoadResult r) {
        double actual = actual(r);
        return switch (operator) {
            case "<" -> actual < limit;
            case "<=" -> actual <= limit;
            case ">" -> actual > limit;
            default -> actual >= limit;
        };
    }

    /** {@code p99<200ms: 12.3 ms, ok} or {@code ...: 250.1 ms, BROKEN}. */
    public String report(LoadResult r) {
        double actual = actual(r);
        String shown = switch (metric) {
            case "errors" -> percent ? String.format(Locale.ROOT, "%.3f %%", actual) : String.format(Locale.ROOT, "%.0f", actual);
            case "rps" -> String.format(Locale.ROOT, "%.1f req/s", actual);
            default -> String.format(Locale.ROOT, "%.3f ms", actual);
        };
        return expression + ": " + shown + (holds(r) ? ", ok" : ", BROKEN");
    }
}
