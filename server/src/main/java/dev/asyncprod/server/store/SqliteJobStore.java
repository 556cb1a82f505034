package dev.asyncprod.server.store;

import dev.asyncprod.server.email.Accepted;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.email.JobStore;
import dev.asyncprod.server.email.KeyedJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * The job store in one SQLite file, for one server process: the embedded default. JDBC blocks, so
 * every call runs on one dedicated thread, {@code job-store}, through a {@link GroupCommit}: the
 * thread applies each waiting operation in its own savepoint and commits them together, so one
 * fsync covers many requests. Futures complete on the store thread: continuations must not block.
 */
public final class SqliteJobStore implements JobStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteJobStore.class);

    /** A local file is cheap to look at: retries are found within a tenth of a second of coming due. */
    private static final Duration POLL_EVERY = Duration.ofMillis(100);

    private final SqliteJobs jobs;
    private final Path file;
    private final StoreMeters meters = new StoreMeters("sqlite");
    private final GroupCommit<Pending<?>> writer;

    /** One unit of work, applied inside the batch's transaction. */
    @FunctionalInterface
    interface Operation<T> {
        T apply(SqliteJobs jobs) throws Exception;
    }

    private record Pending<T>(Operation<T> operation, CompletableFuture<T> result) implements GroupCommit.Write {
        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @SuppressWarnings("unchecked")
        void complete(Object value) {
            result.complete((T) value);
        }
    }

    private SqliteJobStore(SqliteJobs jobs, Path file) {
        this.jobs = jobs;
        this.file = file;
        this.writer = new GroupCommit<>("job-store", this::commit);
    }

    /**
     * Opens (or creates, or migrates) the store in {@code file} and queues again the jobs a crash
     * left {@code sending}. The caller owns the file alone (the data directory's lock): no other
     * process is delivering them.
     */
    public static SqliteJobStore open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            SQLiteDataSource source = new SQLiteDataSource();
            source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
            Migrations.migrate(source, "sqlite", "1");
            SqliteJobs jobs = new SqliteJobs(file);
            int requeued = jobs.requeueInterrupted();
            jobs.commit();
            if (requeued > 0) {
                log.info("requeued {} email jobs that were being sent when the server last stopped", requeued);
            }
            return new SqliteJobStore(jobs, file);
        } catch (Exception e) {
            throw new IOException("cannot open the job store " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Accepted> accept(EmailRequest email, String idempotencyKey, boolean claimForCaller) {
        return submit(db -> {
            String fingerprint = email.fingerprint(); // SHA-256 on the store's thread, not the caller's event loop
            if (idempotencyKey != null) {
                Optional<KeyedJob> earlier = db.findByKey(idempotencyKey);
                if (earlier.isPresent()) {
                    return earlier.get().replayFor(fingerprint);
                }
            }
            Job job = Job.create(email, claimForCaller, Instant.now());
            db.insert(job, idempotencyKey, fingerprint);
            return new Accepted(job, Outcome.CREATED);
        });
    }

    @Override
    public CompletableFuture<Optional<Job>> find(String id) {
        return submit(db -> db.find(id));
    }

    @Override
    public CompletableFuture<List<Job>> claimDue(int limit) {
        return submit(db -> {
            long start = System.nanoTime();
            Instant now = Instant.now();
            List<Job> claimed = new ArrayList<>();
            for (Job job : db.due(now, limit)) {
                Job sending = job.sending(now);
                db.update(sending);
                claimed.add(sending);
            }
            meters.claimTook(start);
            return claimed;
        });
    }

    @Override
    public CompletableFuture<Job> save(Job job) {
        return submit(db -> {
            db.update(job);
            return job;
        });
    }

    @Override
    public CompletableFuture<Map<JobStatus, Long>> countByStatus() {
        return submit(SqliteJobs::countByStatus);
    }

    @Override
    public CompletableFuture<Integer> deleteFinishedBefore(Instant cutoff) {
        return submit(db -> db.deleteFinishedBefore(cutoff));
    }

    @Override
    public Duration pollEvery() {
        return POLL_EVERY;
    }

    @Override
    public String kind() {
        return "sqlite";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        meters.bindTo(registry);
    }

    @Override
    public int pending() {
        return writer.pending();
    }

    @Override
    public String describe() {
        return "sqlite " + file.toAbsolutePath();
    }

    private <T> CompletableFuture<T> submit(Operation<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        writer.submit(new Pending<>(operation, result));
        return result;
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(writer.unavailable());
    }

    /** Applies a batch in one transaction; completes its futures only once the commit is durable. */
    private void commit(List<Pending<?>> batch) {
        long start = System.nanoTime();
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            for (int i = 0; i < batch.size(); i++) {
                try {
                    results[i] = jobs.inSavepoint(batch.get(i).operation());
                } catch (Exception e) {
                    failures[i] = e;
                }
            }
            jobs.commit();
        } catch (Exception e) {
            log.error("job store commit failed; {} operations fail with it", batch.size(), e);
            try {
                jobs.rollback();
            } catch (Exception rollback) {
                e.addSuppressed(rollback);
            }
            batch.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        meters.commitTook(start);
        for (int i = 0; i < batch.size(); i++) {
            if (failures[i] != null) {
                batch.get(i).result().completeExceptionally(failures[i]);
            } else {
                batch.get(i).complete(results[i]);
            }
        }
    }

    /** Finishes what was handed over, then closes the database. */
    @Override
    public void close() {
        writer.close();
        try {
            jobs.close();
        } catch (Exception e) {
            log.warn("closing the job store: {}", e.toString());
        }
    }
}
