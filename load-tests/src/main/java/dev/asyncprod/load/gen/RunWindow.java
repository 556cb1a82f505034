package dev.asyncprod.load.gen;

/**
 * The run's measured window on the {@link System#nanoTime()} clock, {@code [measureFrom, end)}:
 * before it is the warm-up, which is run but never recorded; at its end the loops stop.
 *
 * @param measureFromNanos requests sent from here on are recorded; connect and TLS failures count from here on
 * @param endNanos         answers arriving from here on are not recorded, and nothing more is sent
 */
record RunWindow(long measureFromNanos, long endNanos) {

    /** The warm-up is over: what happens now is recorded. */
    boolean begun(long nowNanos) {
        return nowNanos >= measureFromNanos;
    }

    /** The run is over: nothing more is sent or recorded. */
    boolean over(long nowNanos) {
        return nowNanos >= endNanos;
    }
}
