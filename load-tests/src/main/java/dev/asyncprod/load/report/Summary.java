package dev.asyncprod.load.report;

import dev.asyncprod.load.gen.ErrorKind;
import dev.asyncprod.load.gen.LoadResult;
import java.io.PrintStream;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What a run prints: a progress line a second, then the summary. */
public final class Summary {

    /** Past this share of requests sent late by the generator itself, its numbers describe the generator. */
    static final double GENERATOR_LIMIT_SHARE = 0.01;

    private Summary() {
    }

    public static String progressLine(double elapsed, Histogram interval, long errors, int inFlight) {
        double seconds = (interval.getEndTimeStamp() - interval.getStartTimeStamp()) / 1000.0;
        double rps = seconds > 0 ? interval.getTotalCount() / seconds : 0;
        return String.format("  %6.1fs %10.0f req/s   p50 %8s ms   p99 %8s ms   errors %d   in-flight %d",
                elapsed, rps, Percentiles.fmt(interval.getValueAtPercentile(50) / 1000.0),
                Percentiles.fmt(interval.getValueAtPercentile(99) / 1000.0), errors, inFlight);
    }

    public static void print(LoadResult r, PrintStream out) {
        out.printf("  %d requests in %.2fs, %d errors, %d still in flight at the end (not counted)%n",
                r.requests(), r.durationSeconds(), r.errorsTotal(), r.inFlightAtEnd());
        out.printf("  Requests/sec: %.2f%s%n", r.rps(),
                r.spec().openModel() ? String.format(" (target %.0f, %.2f%%)", r.spec().rate(), 100 * r.rps() / r.spec().rate()) : "");
        out.println(Percentiles.header());
        if (r.spec().openModel()) {
            out.println(Percentiles.row("corrected", r.responseTime()));
            out.println(Percentiles.row("uncorrected", r.serviceTime()));
        } else {
            out.println(Percentiles.row("latency", r.serviceTime()));
        }
        StringBuilder errors = new StringBuilder("  errors:");
        for (Map.Entry<ErrorKind, Long> e : r.errors().entrySet()) {
            errors.append(' ').append(e.getKey().key()).append(' ').append(e.getValue());
        }
        out.println(errors);
        if (r.spec().openModel()) {
            long sent = Math.max(1, r.requests() + r.errorsTotal());
            out.printf("  missed schedule (sent late by the generator): %d (%.2f%%)%n", r.missedSchedule(),
                    100.0 * r.missedSchedule() / sent);
            for (String warning : warnings(r)) {
                out.println("  warning: " + warning);
            }
        }
    }

    /** Reasons not to trust an open-model run as a statement about the server. */
    static java.util.List<String> warnings(LoadResult r) {
        java.util.List<String> out = new java.util.ArrayList<>();
        long sent = Math.max(1, r.requests() + r.errorsTotal());
        if (r.missedSchedule() > GENERATOR_LIMIT_SHARE * sent) {
            out.add("the generator fell behind its own schedule on " + r.missedSchedule()
                    + " requests: it, not the server, is the limit; add threads (-t) or lower the rate");
        }
        double meanServiceSeconds = r.serviceTime().getMean() / 1e6;
        double carriable = meanServiceSeconds > 0 ? r.spec().connections() / meanServiceSeconds : Double.MAX_VALUE;
        if (carriable < r.spec().rate()) {
            out.add(String.format("%d connections at a mean service time of %.1f ms carry at most %.0f req/s, "
                            + "below the target: add connections (-c)", r.spec().connections(), meanServiceSeconds * 1000, carriable));
        }
        return out;
    }
}
