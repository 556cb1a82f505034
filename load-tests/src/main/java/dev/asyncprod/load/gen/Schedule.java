package dev.asyncprod.load.gen;

/**
 * The open model's send times for one connection: a constant rate, wrk2 style. With {@code c}
 * connections sharing a rate {@code R}, each sends every {@code c / R} seconds, connection {@code k}
 * offset by {@code k / R} so the whole run sends evenly every {@code 1 / R}.
 *
 * <p>The times are <i>intended</i> send times: a connection still waiting for an answer sends late,
 * and its latency is still measured from the intended time (coordinated omission corrected).
 */
final class Schedule {

    private final long intervalNanos;
    private long next;

    Schedule(long startNanos, int connectionIndex, int connections, double ratePerSecond) {
        double perRequest = 1e9 / ratePerSecond;
        this.intervalNanos = Math.round(perRequest * connections);
        this.next = startNanos + Math.round(perRequest * connectionIndex);
    }

    /** The intended send time of the next request, advancing the schedule. */
    long nextIntended() {
        long t = next;
        next += intervalNanos;
        return t;
    }
}
