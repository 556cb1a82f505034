package dev.asyncprod.server.store;

import dev.asyncprod.server.config.PostgresUrl;
import dev.asyncprod.server.email.Accepted;
import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.email.JobStore;
import dev.asyncprod.server.email.StoreUnavailableException;
import dev.asyncprod.server.store.PostgresWrites.NewJobWrite;
import dev.asyncprod.server.store.PostgresWrites.OutcomeWrite;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The job store every replica shares: one {@code email_jobs} table in PostgreSQL. A job accepted by
 * any replica is visible to all, any replica delivers any due job, and the database's unique
 * constraint makes an {@code Idempotency-Key} mean the same everywhere.
 *
 * <p>Threads, all named and bounded: {@code job-store-writer} group-commits new jobs and
 * outcomes ({@link PostgresWrites}: a batch is a few set-based statements and one commit);
 * {@code job-store-N} run lookups, claims and lease renewals; {@code job-store-listen}
 * ({@link PostgresListener}) holds one session that {@code LISTEN}s for new jobs, renews this
 * replica's leases and notices when the database is back. While the database is unreachable
 * every call fails at once with {@link StoreUnavailableException} (503), never waits
 * ({@link PostgresAvailability}).
 *
 * <p>Claims carry a lease ({@link Leases}): a replica that dies mid-delivery stops renewing, and
 * once its lease runs out any replica takes the job again (at least once, never lost).
 */
public final class PostgresJobStore implements JobStore {

    /** New jobs arrive by NOTIFY; polling only finds retries coming due and expired leases, so it can be slow. */
    private static final Duration POLL_EVERY = Duration.ofSeconds(1);
    /** Rows one retention statement deletes: short transactions that never hold many locks. */
    private static final int DELETE_CHUNK = 10_000;
    private static final int READER_THREADS = 4;

    private final PostgresConnections connections;
    private final PostgresAvailability availability;
    private final StoreMeters meters = new StoreMeters("postgresql");
    private final StoreExecutor readers;
    private final Leases leases;
    private final GroupCommit<PostgresWrites.Write> writer;
    private final PostgresListener listener;

    private PostgresJobStore(PostgresConnections connections, Duration lease) {
        this.connections = connections;
        this.availability = new PostgresAvailability(connections.url());
        // Reads may queue as deep as writes: the same bound on what a burst can hold in memory.
        this.readers = new StoreExecutor("job-store", READER_THREADS, GroupCommit.MAX_PENDING);
        this.leases = new Leases(lease, connections, readers, availability);
        this.writer = new GroupCommit<>("job-store-writer", new PostgresWrites(connections, leases, availability, meters));
        this.listener = new PostgresListener(connections, availability, leases);
    }

    /**
     * Connects, migrates the schema and starts the store's threads.
     *
     * @param lease how long a claim holds a job without being renewed
     * @throws IOException with a one-line reason when the database cannot be reached or migrated
     */
    public static PostgresJobStore open(PostgresUrl url, Duration lease) throws IOException {
        return new PostgresJobStore(PostgresConnections.open(url), lease);
    }

    @Override
    public CompletableFuture<Accepted> accept(EmailRequest email, String idempotencyKey, boolean claimForCaller) {
        StoreUnavailableException refused = availability.refusal();
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<Accepted> result = new CompletableFuture<>();
        writer.submit(new NewJobWrite(email, idempotencyKey, claimForCaller, Instant.now(), result));
        return result;
    }

    @Override
    public CompletableFuture<Job> save(Job job) {
        StoreUnavailableException refused = availability.refusal();
        if (refused != null) {
            leases.letGo(job.id());
            return CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<Job> result = new CompletableFuture<>();
        writer.submit(new OutcomeWrite(job, result));
        return result.whenComplete((saved, failure) -> leases.letGo(job.id()));
    }

    @Override
    public CompletableFuture<Optional<Job>> find(String id) {
        return read(db -> PostgresJobs.find(db, id));
    }

    @Override
    public CompletableFuture<List<Job>> claimDue(int limit) {
        return read(db -> {
            long start = System.nanoTime();
            long now = System.currentTimeMillis();
            List<Job> claimed = PostgresJobs.claim(db, leases.owner(), now, leases.until(now), limit);
            claimed.forEach(job -> leases.hold(job.id()));
            meters.claimTook(start);
            return claimed;
        });
    }

    @Override
    public CompletableFuture<Map<JobStatus, Long>> countByStatus() {
        return read(PostgresJobs::countByStatus);
    }

    @Override
    public CompletableFuture<Integer> deleteFinishedBefore(Instant cutoff) {
        return read(db -> {
            int total = 0;
            int deleted;
            do {
                deleted = PostgresJobs.deleteFinishedBefore(db, cutoff.toEpochMilli(), DELETE_CHUNK);
                total += deleted;
            } while (deleted == DELETE_CHUNK && !availability.isClosing());
            return total;
        });
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection db) throws SQLException;
    }

    /** Runs {@code query} on a reader thread with a pooled connection; fails at once while the database is down. */
    private <T> CompletableFuture<T> read(Query<T> query) {
        StoreUnavailableException refused = availability.refusal();
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return readers.submit(() -> {
            try (Connection db = connections.pooled()) {
                return query.run(db);
            } catch (SQLException e) {
                throw availability.noteFailure(e);
            }
        });
    }

    @Override
    public void onNewJobs(Runnable wake) {
        listener.onNewJobs(wake);
    }

    @Override
    public Duration pollEvery() {
        return POLL_EVERY;
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    @Override
    public int pending() {
        return writer.pending() + readers.queued();
    }

    @Override
    public String describe() {
        return "postgresql " + connections.url() + " (replica " + leases.owner() + ")";
    }

    @Override
    public Optional<String> unavailable() {
        return availability.unavailable().or(() -> Optional.ofNullable(writer.unavailable()));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    /**
     * Commits what was handed over, puts back the jobs this replica still holds (so another takes
     * them now, not when the lease runs out), then closes the connections.
     */
    @Override
    public void close() {
        writer.close();
        availability.closing();
        if (!availability.isDown()) {
            leases.releaseAll();
        }
        readers.close();
        listener.close();
        connections.close();
    }
}
