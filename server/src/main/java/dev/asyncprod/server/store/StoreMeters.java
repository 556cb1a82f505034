package dev.asyncprod.server.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a job store's latency looks like from the server: how long a batch takes to commit (what
 * a 202 waits for) and how long a claim of due jobs takes. Both stores publish the same series,
 * tagged with the store's kind, so a dashboard compares them.
 */
final class StoreMeters implements MeterBinder {

    /** From a page-cache commit on a local disk to a database under load across a network. */
    private static final Duration[] BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final String kind;
    private volatile Timer commit;
    private volatile Timer claim;

    StoreMeters(String kind) {
        this.kind = kind;
    }

    void commitTook(long startNanos) {
        record(commit, startNanos);
    }

    void claimTook(long startNanos) {
        record(claim, startNanos);
    }

    private static void record(Timer timer, long startNanos) {
        if (timer != null) {
            timer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        commit = Timer.builder("email_store_commit").tag("store", kind)
                .description("Job store transactions: one batch of accepted jobs and outcomes, until durable")
                .serviceLevelObjectives(BUCKETS).register(registry);
        claim = Timer.builder("email_store_claim").tag("store", kind)
                .description("Claims of due jobs for delivery, from asking to holding them")
                .serviceLevelObjectives(BUCKETS).register(registry);
    }
}
