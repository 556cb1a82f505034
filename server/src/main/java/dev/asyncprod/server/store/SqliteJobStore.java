package dev.asyncprod.server.store;

import dev.asyncprod.server.email.Accepted;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.email.JobStore;
import dev.asyncprod.server.email.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store in one SQLite file, for one server process: the embedded default. JDBC blocks, so
 * every call runs on one dedicated thread, {@code job-store}, and callers get a future that
 * completes only after the change is committed to disk.
 *
 * <p>Group commit: the thread takes every operation waiting when it wakes (up to {@link #BATCH}),
 * applies each in its own savepoint and commits them together, so one fsync covers many requests.
 * Handing an operation over is a lock-free queue offer and an unpark, safe from an event loop.
 * Futures complete on the store thread: continuations must not block.
 */
public final class SqliteJobStore implements JobStore {

    private static final Logger log = LoggerFactory.getLogger(SqliteJobStore.class);

    /** Operations per transaction: large enough to amortise an fsync, small enough to keep latency even. */
    static final int BATCH = 256;
    /** Operations waiting before callers are told the store is busy (they answer 503). */
    static final int MAX_PENDING = 20_000;

    /** One unit of work for the store thread. */
    @FunctionalInterface
    interface Operation<T> {
        T apply(SqliteJobs jobs) throws Exception;
    }

    private record Pending<T>(Operation<T> operation, CompletableFuture<T> result) {
    }

    private final SqliteJobs jobs;
    private final Path file;
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closing;

    private SqliteJobStore(SqliteJobs jobs, Path file) {
        this.jobs = jobs;
        this.file = file;
        this.writer = new Thread(this::run, "job-store");
        this.writer.start();
    }

    /**
     * Opens (or creates) the store in {@code file} and queues again the jobs a crash left
     * {@code sending}. The caller owns the file alone (the data directory's lock): no other process
     * is delivering them.
     */
    public static SqliteJobStore open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
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
        String fingerprint = fingerprint(email);
        return submit(db -> {
            if (idempotencyKey != null) {
                Optional<Map.Entry<Job, String>> earlier = db.findByKey(idempotencyKey);
                if (earlier.isPresent()) {
                    Job job = earlier.get().getKey();
                    boolean same = earlier.get().getValue().equals(fingerprint);
                    return new Accepted(job, same ? Outcome.REPLAYED : Outcome.KEY_REUSED);
                }
            }
            Instant now = Instant.now();
            Job job = new Job(UUID.randomUUID().toString(), email, claimForCaller ? JobStatus.SENDING : JobStatus.QUEUED,
                    claimForCaller ? 1 : 0, now, now, now, null);
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
            Instant now = Instant.now();
            List<Job> claimed = new ArrayList<>();
            for (Job job : db.due(now, limit)) {
                Job sending = job.sending(now);
                db.update(sending);
                claimed.add(sending);
            }
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
    public int pending() {
        return pending.get();
    }

    @Override
    public String describe() {
        return "sqlite " + file.toAbsolutePath();
    }

    @Override
    public Optional<String> unavailable() {
        if (closing || !writer.isAlive()) {
            return Optional.of("the job store is closed");
        }
        int waiting = pending.get();
        return waiting >= MAX_PENDING ? Optional.of(waiting + " writes waiting for the disk") : Optional.empty();
    }

    private <T> CompletableFuture<T> submit(Operation<T> operation) {
        if (closing) {
            return CompletableFuture.failedFuture(new RejectedExecutionException("the job store is closed"));
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(new StoreUnavailableException(
                    "the job store has " + MAX_PENDING + " writes waiting; retry later", 1));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        queue.offer(new Pending<>(operation, result));
        LockSupport.unpark(writer);
        return result;
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(BATCH);
        while (true) {
            Pending<?> next;
            while (batch.size() < BATCH && (next = queue.poll()) != null) {
                batch.add(next);
            }
            if (batch.isEmpty()) {
                if (closing) {
                    return;
                }
                LockSupport.park(this);
                continue;
            }
            commit(batch);
            pending.addAndGet(-batch.size());
            batch.clear();
        }
    }

    /** Applies a batch in one transaction; completes its futures only once the commit is durable. */
    private void commit(List<Pending<?>> batch) {
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
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], failures[i]);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable failure) {
        if (failure != null) {
            p.result().completeExceptionally(failure);
        } else {
            p.result().complete((T) result);
        }
    }

    /** What makes two emails the same for an idempotency key: SHA-256 over their fields. */
    static String fingerprint(EmailRequest email) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(email.to(), email.subject(), email.body())) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Finishes what was handed over, then closes the database. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join();
            Pending<?> late; // handed over while the writer was finishing: refused, never left hanging
            while ((late = queue.poll()) != null) {
                late.result().completeExceptionally(new RejectedExecutionException("the job store is closed"));
            }
            jobs.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("closing the job store: {}", e.toString());
        }
    }
}
