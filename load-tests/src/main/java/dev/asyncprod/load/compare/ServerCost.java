package dev.asyncprod.load.compare;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the requests of one cell's measured window cost the server: its CPU time and context
 * switches over the window (from {@code /proc}), divided by the answers the generator counted in
 * it. Unlike req/s, this does not move with how much of the machine the generator left over, so a
 * mode's cost over the bare Netty reference's in the same run is what compares across machines and days.
 *
 * <p>The window's edges are not the requests' edges: answers to warm-up requests arrive in it, and
 * requests still in flight at its end are not counted. At most one request a connection either way,
 * so against a 15 s window this is noise; on a 1 s smoke run of 5,000 connections it would not be.
 *
 * @param requests   answers (any status) the generator counted in the window: what the totals are divided by
 * @param stealShare of all the machine's CPU time during the window, the share the hypervisor gave to
 *                   other guests; NaN where {@code /proc/stat} could not be read
 */
record ServerCost(long requests, long cpuNanos, long voluntarySwitches, long involuntarySwitches, double stealShare) {

    /**
     * Steal above this share of the window's CPU time marks the cell: the server ran slower and its
     * CPU readings are inflated by an unknown amount (a stolen slice that interrupted it is counted to it).
     */
    static final double STOLEN = 0.02;

    double cpuMicrosPerRequest() {
        return requests > 0 ? cpuNanos / 1e3 / requests : Double.NaN;
    }

    double switchesPerRequest() {
        return requests > 0 ? (double) (voluntarySwitches + involuntarySwitches) / requests : Double.NaN;
    }

    boolean stolen() {
        return stealShare > STOLEN;
    }

    /** {@code server_cost} in a cell's JSON; {@code reference} is bare Netty's in the same cell, or null. */
    Map<String, Object> toJson(ServerCost reference) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", requests);
        out.put("cpu_ms", round(cpuNanos / 1e6, 1000));
        out.put("voluntary_switches", voluntarySwitches);
        out.put("involuntary_switches", involuntarySwitches);
        if (requests > 0) {
            out.put("cpu_us_per_request", round(cpuMicrosPerRequest(), 1000));
            out.put("switches_per_request", round(switchesPerRequest(), 10_000));
            out.put("voluntary_switches_per_request", round((double) voluntarySwitches / requests, 10_000));
            out.put("involuntary_switches_per_request", round((double) involuntarySwitches / requests, 10_000));
        }
        if (!Double.isNaN(stealShare)) {
            out.put("steal_percent", round(100 * stealShare, 100));
            out.put("stolen", stolen());
        }
        if (reference != null && requests > 0 && reference.requests() > 0) {
            Map<String, Object> ratios = new LinkedHashMap<>();
            ratio(cpuMicrosPerRequest(), reference.cpuMicrosPerRequest()).ifPresent(x -> ratios.put("cpu_per_request", x));
            ratio(switchesPerRequest(), reference.switchesPerRequest()).ifPresent(x -> ratios.put("switches_per_request", x));
            out.put("vs_reference", ratios);
        }
        return out;
    }

    /** {@code mine / reference's}, rounded, when the reference's is above zero. */
    static Optional<Double> ratio(double mine, double reference) {
        return reference > 0 && !Double.isNaN(mine) ? Optional.of(round(mine / reference, 1000)) : Optional.empty();
    }

    private static double round(double v, int scale) {
        return Math.round(v * scale) / (double) scale;
    }
}
