package dev.asyncprod.server.email;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted email jobs live: the durable queue. Every method hands its work over without
 * blocking the caller, and its future completes only once the change is durable. A store that
 * cannot take the work fails the future with {@link StoreUnavailableException}. Futures may
 * complete on the store's own threads: continuations must not block.
 */
public interface JobStore extends MeterBinder, AutoCloseable {

    /**
     * Stores a new job, or, for an idempotency key seen before, returns that key's job (as
     * {@link Accepted.Outcome#KEY_REUSED} if it was created by a different email).
     *
     * @param idempotencyKey the caller's key, or null
     * @param claimForCaller store the job already claimed ({@code sending}, attempt 1) for a caller
     *                       that delivers it itself, so no background delivery picks it up
     */
    CompletableFuture<Accepted> accept(EmailRequest email, String idempotencyKey, boolean claimForCaller);

    CompletableFuture<Optional<Job>> find(String id);

    /** Claims up to {@code limit} due jobs: each becomes {@code sending} with one more attempt. */
    CompletableFuture<List<Job>> claimDue(int limit);

    /** Writes a job's new state after an attempt. */
    CompletableFuture<Job> save(Job job);

    /** How many jobs are in each status, counted by the store (another replica may have changed them). */
    CompletableFuture<Map<JobStatus, Long>> countByStatus();

    /**
     * Deletes finished jobs ({@code sent}, {@code failed}) last changed before {@code cutoff}, and so
     * their idempotency keys; completes with how many went.
     */
    CompletableFuture<Integer> deleteFinishedBefore(Instant cutoff);

    /**
     * Calls {@code wake} (on any thread, quickly) whenever work may have become due that this
     * process did not add itself: another replica's new job. A store only this process uses never calls it.
     */
    default void onNewJobs(Runnable wake) {
    }

    /** How often the pump should look for due work nobody woke it for (retries coming due, expired leases). */
    Duration pollEvery();

    /** {@code sqlite} or {@code postgresql}. */
    String kind();

    /** Operations handed over and not yet durable. */
    int pending();

    /** One line for the banner and {@code /info}: the kind of store and where it is. */
    String describe();

    /**
     * Whether the store can take work now, for readiness: empty when it can, else why not. Answers
     * from what the store already knows; it never waits on the database.
     */
    Optional<String> unavailable();

    /** Finishes what was handed over, then releases the store; later calls fail. */
    @Override
    void close();
}
