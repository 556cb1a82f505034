package dev.asyncprod.load.report;

import dev.asyncprod.load.gen.ErrorKind;
import dev.asyncprod.load.gen.LoadResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What a run prints: a progress line a second, then the summary. */
public final class Summary {

    /** Past this share of requests sent late by the generator itself, its numbers describe the generator. */
    static final double GENERATOR_LIMIT_SHARE = 0.01;
    /** A first second below this share of the run's median rate: the JIT was still at work. */
    static final double WARM_SHARE = 0.9;
    /** The JIT compiling for more than this share of the run's time. */
    static final double JIT_SHARE = 0.05;

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
        StringBuilder statuses = new StringBuilder("  statuses:");
        r.statuses().forEach((code, n) -> statuses.append(' ').append(code).append(' ').append(n));
        out.println(r.statuses().isEmpty() ? "  statuses: none" : statuses);
        if (r.tlsFailure() != null) {
            out.println("  tls: " + r.tlsFailure());
        }
        if (r.spec().openModel()) {
            long sent = Math.max(1, r.requests() + r.errorsTotal());
            out.printf("  missed schedule (sent late by the generator): %d (%.2f%%)%n", r.missedSchedule(),
                    100.0 * r.missedSchedule() / sent);
        }
        for (String warning : warnings(r)) {
            out.println("  warning: " + warning);
        }
    }

    /** Reasons not to trust the run's figures as a statement about the server. */
    public static List<String> warnings(LoadResult r) {
        List<String> out = new ArrayList<>(warmUpWarnings(r));
        if (r.spec().openModel()) {
            out.addAll(openModelWarnings(r));
        }
        return out;
    }

    /**
     * A JVM generator pays its JIT at the start of a run: a rate still rising after the first
     * second, or a JIT busy for a good part of the run, says the warm-up was too short.
     */
    static List<String> warmUpWarnings(LoadResult r) {
        List<String> out = new ArrayList<>();
        List<Long> seconds = r.perSecond();
        if (!r.spec().openModel() && seconds.size() >= 4) {
            List<Long> rest = new ArrayList<>(seconds.subList(1, seconds.size()));
            Collections.sort(rest);
            long median = rest.get(rest.size() / 2);
            if (seconds.get(0) < WARM_SHARE * median) {
                out.add(String.format("the rate rose from %d req/s in the first second to a median of %d: the warm-up was"
                        + " too short for these figures to be trusted; run a longer --warmup", seconds.get(0), median));
            }
        }
        double jitShare = r.jitMillis() / (r.durationSeconds() * 1000);
        if (jitShare > JIT_SHARE) {
            out.add(String.format("the generator's JIT compiled for %d ms during the run (%.0f%% of it): the warm-up was"
                    + " too short for these figures to be trusted; run a longer --warmup", r.jitMillis(), 100 * jitShare));
        }
        return out;
    }

    /** Reasons not to trust an open-model run as a statement about the server. */
    static List<String> openModelWarnings(LoadResult r) {
        List<String> out = new ArrayList<>();
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
