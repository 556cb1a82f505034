package dev.asyncprod.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.asyncprod.base.Causes;
import dev.asyncprod.server.config.PostgresUrl;
import dev.asyncprod.server.email.Accepted;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.email.JobStore;
import dev.asyncprod.server.email.StoreUnavailableException;
import dev.asyncprod.server.store.PostgresJobs.NewJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store every replica shares: one {@code email_jobs} table in PostgreSQL. A job accepted by
 * any replica is visible to all, any replica delivers any due job, and the database's unique
 * constraint makes an {@code Idempotency-Key} mean the same everywhere.
 *
 * <p>Threads, all named and bounded: {@code job-store-writer} group-commits new jobs and
 * outcomes (a batch is a few set-based statements and one commit); {@code job-store-N} run
 * lookups and claims; {@code job-store-listen} holds one connection that {@code LISTEN}s for new
 * jobs, renews this replica's leases and notices when the database is back. While the database is
 * unreachable every call fails at once with {@link StoreUnavailableException} (503), never waits.
 *
 * <p>Claims carry a lease: a replica that dies mid-delivery stops renewing, and once its lease
 * runs out any replica takes the job again (at least once, never lost).
 */
public final class PostgresJobStore implements JobStore {

    private static final Logger log = LoggerFactory.getLogger(PostgresJobStore.class);

    /** The same batching as the SQLite store. */
    static final int BATCH = 256;
    static final int MAX_PENDING = 20_000;
    /** New jobs arrive by NOTIFY; polling only finds retries coming due and expired leases, so it can be slow. */
    private static final Duration POLL_EVERY = Duration.ofSeconds(1);
    /** Rows one retention statement deletes: short transactions that never hold many locks. */
    private static final int DELETE_CHUNK = 10_000;

    private final PostgresUrl url;
    private final HikariDataSource pool;
    private final String owner;
    private final long leaseMillis;
    private final StoreMeters meters = new StoreMeters("postgresql");
    private final GroupCommit<Write> writer;
    private final StoreExecutor readers;
    private final Thread listener;
    private final List<Runnable> wakers = new CopyOnWriteArrayList<>();
    /**
     * The jobs this replica is delivering now: only these leases are renewed. A job whose attempt
     * ended without its outcome stored (the database was down) leaves the set, so its lease runs
     * out and it is delivered again (at least once) rather than held forever by a live replica.
     */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile String down; // why the database is unreachable, or null
    private volatile boolean closing;

    /** What the writer applies: a new job, or an attempt's outcome. */
    private sealed interface Write extends GroupCommit.Write {
    }

    /** A new job; its id is drawn on the writer thread, since SecureRandom may read /dev/urandom (blocking). */
    private record AcceptWrite(EmailRequest email, String idempotencyKey, boolean claimForCaller, Instant at,
                               CompletableFuture<Accepted> result) implements Write {
        NewJob toRow(String owner, long leaseMillis) {
            Job job = new Job(UUID.randomUUID().toString(), email, claimForCaller ? JobStatus.SENDING : JobStatus.QUEUED,
                    claimForCaller ? 1 : 0, at, at, at, null);
            return new NewJob(job, idempotencyKey, email.fingerprint(), claimForCaller ? owner : null,
                    at.toEpochMilli() + leaseMillis);
        }

        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }
    }

    private record SaveWrite(Job job, CompletableFuture<Job> result) implements Write {
        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }
    }

    private PostgresJobStore(PostgresUrl url, HikariDataSource pool, Duration lease, int readerThreads) {
        this.url = url;
        this.pool = pool;
        this.owner = ownerName();
        this.leaseMillis = lease.toMillis();
        this.writer = new GroupCommit<>("job-store-writer", BATCH, MAX_PENDING, this::commit);
        this.readers = new StoreExecutor("job-store", readerThreads, MAX_PENDING);
        this.listener = new Thread(this::listen, "job-store-listen");
        this.listener.setDaemon(true);
        this.listener.start();
    }

    /**
     * Connects, migrates the schema and starts the store's threads.
     *
     * @param lease how long a claim holds a job without being renewed
     * @throws IOException with a one-line reason when the database cannot be reached or migrated
     */
    public static PostgresJobStore open(PostgresUrl url, Duration lease) throws IOException {
        // One plain connection first: an unreachable database is then one line, not the pool's stack trace.
        try (Connection probe = DriverManager.getConnection(url.jdbcUrl(), url.driverProperties("asyncprod-jobs"))) {
            probe.isValid(2);
        } catch (SQLException e) {
            throw new IOException("cannot reach the job store " + url + ": " + Causes.rootMessage(e), e);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(url));
        } catch (RuntimeException e) {
            throw new IOException("cannot reach the job store " + url + ": " + Causes.rootMessage(e), e);
        }
        try {
            Migrations.migrate(pool, "postgresql", "0");
        } catch (RuntimeException e) {
            pool.close();
            throw new IOException("cannot migrate the job store " + url + ": " + Causes.rootMessage(e), e);
        }
        return new PostgresJobStore(url, pool, lease, 4);
    }

    /**
     * HikariCP with its default size (10: the writer, the readers, room to spare), but fast to give
     * up: a request must get its 503 within a second, not after Hikari's default 30 s.
     */
    private static HikariConfig poolConfig(PostgresUrl url) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("job-store-pool");
        c.setJdbcUrl(url.jdbcUrl());
        c.setDataSourceProperties(url.driverProperties("asyncprod-jobs"));
        c.setConnectionTimeout(1_000);
        c.setValidationTimeout(500);
        c.setInitializationFailTimeout(2_000); // unreachable at start: fail the start, do not limp on
        return c;
    }

    private static String ownerName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        return host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(random);
    }

    @Override
    public CompletableFuture<Accepted> accept(EmailRequest email, String idempotencyKey, boolean claimForCaller) {
        String reason = down;
        if (reason != null) {
            return CompletableFuture.failedFuture(unreachable(reason));
        }
        CompletableFuture<Accepted> result = new CompletableFuture<>();
        writer.submit(new AcceptWrite(email, idempotencyKey, claimForCaller, Instant.now(), result));
        return result;
    }

    @Override
    public CompletableFuture<Job> save(Job job) {
        String reason = down;
        if (reason != null) {
            held.remove(job.id());
            return CompletableFuture.failedFuture(unreachable(reason));
        }
        CompletableFuture<Job> result = new CompletableFuture<>();
        writer.submit(new SaveWrite(job, result));
        return result.whenComplete((saved, failure) -> held.remove(job.id()));
    }

    /** One transaction for the whole batch: insert the new, look up the keys that were taken, write the outcomes. */
    private void commit(List<Write> batch) {
        long start = System.nanoTime();
        List<AcceptWrite> accepts = new ArrayList<>();
        List<NewJob> rows = new ArrayList<>();
        List<SaveWrite> saves = new ArrayList<>();
        for (Write w : batch) {
            if (w instanceof AcceptWrite a) {
                accepts.add(a);
                rows.add(a.toRow(owner, leaseMillis));
            } else {
                saves.add((SaveWrite) w);
            }
        }
        Set<String> inserted = Set.of();
        Map<String, Map.Entry<Job, String>> earlier = Map.of();
        Set<String> saved = Set.of();
        try (Connection db = pool.getConnection()) {
            db.setAutoCommit(false);
            try {
                if (!accepts.isEmpty()) {
                    inserted = PostgresJobs.insert(db, rows);
                    Set<String> found = inserted;
                    List<String> taken = rows.stream().filter(r -> !found.contains(r.job().id()))
                            .map(NewJob::idempotencyKey).toList();
                    if (!taken.isEmpty()) {
                        earlier = PostgresJobs.findByKeys(db, taken);
                    }
                    if (rows.stream().anyMatch(r -> found.contains(r.job().id()) && r.claimedBy() == null)) {
                        PostgresJobs.notifyListeners(db);
                    }
                }
                if (!saves.isEmpty()) {
                    saved = PostgresJobs.saveOutcomes(db, owner, saves.stream().map(SaveWrite::job).toList());
                }
                db.commit();
            } catch (SQLException e) {
                rollbackQuietly(db, e);
                throw e;
            }
        } catch (SQLException e) {
            Exception failure = failure(e);
            batch.forEach(w -> w.fail(failure));
            return;
        }
        meters.commitTook(start);
        for (int i = 0; i < accepts.size(); i++) {
            AcceptWrite a = accepts.get(i);
            NewJob row = rows.get(i);
            if (inserted.contains(row.job().id())) {
                if (row.claimedBy() != null) {
                    held.add(row.job().id());
                }
                a.result().complete(new Accepted(row.job(), Outcome.CREATED));
                continue;
            }
            Map.Entry<Job, String> first = earlier.get(row.idempotencyKey());
            if (first == null) { // the conflicting row was deleted between the two statements: retention, a day on
                a.fail(new StoreUnavailableException("the idempotency key's job just expired; retry", 1));
            } else {
                boolean same = first.getValue().equals(row.fingerprint());
                a.result().complete(new Accepted(first.getKey(), same ? Outcome.REPLAYED : Outcome.KEY_REUSED));
            }
        }
        for (SaveWrite s : saves) {
            if (!saved.contains(s.job().id())) {
                log.info("email job {}: its lease ran out and another replica holds it now; this attempt's outcome ({}) is"
                        + " not stored", s.job().id(), s.job().status().label());
            }
            s.result().complete(s.job());
        }
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
            List<Job> claimed = PostgresJobs.claim(db, owner, now, now + leaseMillis, limit);
            claimed.forEach(job -> held.add(job.id()));
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
            } while (deleted == DELETE_CHUNK && !closing);
            return total;
        });
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection db) throws SQLException;
    }

    /** Runs {@code query} on a reader thread with a pooled connection; fails at once while the database is down. */
    private <T> CompletableFuture<T> read(Query<T> query) {
        String reason = down;
        if (reason != null) {
            return CompletableFuture.failedFuture(unreachable(reason));
        }
        return readers.submit(() -> {
            try (Connection db = pool.getConnection()) {
                return query.run(db);
            } catch (SQLException e) {
                throw failure(e);
            }
        });
    }

    /**
     * The listener: one connection of its own that waits for NOTIFY, wakes the pump, renews this
     * replica's leases every third of the lease, and after an outage says the database is back.
     */
    private void listen() {
        while (!closing) {
            try (Connection db = DriverManager.getConnection(url.jdbcUrl(),
                    url.driverProperties("asyncprod-jobs-listen"))) {
                try (Statement s = db.createStatement()) {
                    s.execute("LISTEN " + PostgresJobs.CHANNEL);
                }
                reachable(); // and wake: NOTIFYs sent while this connection was down were lost
                PGConnection pg = db.unwrap(PGConnection.class);
                long nextRenewal = System.currentTimeMillis() + leaseMillis / 3;
                while (!closing) {
                    PGNotification[] notifications = pg.getNotifications(1_000);
                    if (notifications != null && notifications.length > 0) {
                        wakeAll();
                    }
                    if (System.currentTimeMillis() >= nextRenewal) {
                        nextRenewal = System.currentTimeMillis() + leaseMillis / 3;
                        renewLeases();
                    }
                    if (down != null && poolAnswers()) {
                        reachable();
                    }
                }
            } catch (SQLException e) {
                if (closing) {
                    return;
                }
                unreachable(e);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void renewLeases() {
        if (held.isEmpty()) {
            return;
        }
        List<String> ids = List.copyOf(held);
        readers.submit(() -> {
            try (Connection db = pool.getConnection()) {
                return PostgresJobs.renewLeases(db, owner, ids, System.currentTimeMillis() + leaseMillis);
            } catch (SQLException e) {
                failure(e);
                return 0;
            }
        });
    }

    private boolean poolAnswers() {
        try (Connection db = pool.getConnection()) {
            return db.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private void wakeAll() {
        wakers.forEach(Runnable::run);
    }

    @Override
    public void onNewJobs(Runnable wake) {
        wakers.add(wake);
    }

    /** What a SQL failure means to a caller: an outage (503, retry) or a fault of this code (500). */
    private Exception failure(SQLException e) {
        if (isConnectionFailure(e)) {
            unreachable(e);
            return unreachable(Causes.rootMessage(e));
        }
        return e;
    }

    /** SQLSTATE class 08 (connection exception), 57P0x (the server shutting down), or no connection to be had. */
    static boolean isConnectionFailure(SQLException e) {
        return Causes.anyMatch(e, t -> t instanceof SQLTransientConnectionException || t instanceof SocketException
                || t instanceof EOFException || (t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))));
    }

    private void unreachable(SQLException e) {
        if (down == null && !closing) {
            log.warn("the job store {} is unreachable: {}; POST /email answers 503 until it is back", url, Causes.rootMessage(e));
        }
        down = Causes.rootMessage(e);
    }

    private void reachable() {
        if (down != null) {
            log.info("the job store {} is reachable again", url);
        }
        down = null;
        wakeAll();
    }

    private static StoreUnavailableException unreachable(String reason) {
        return new StoreUnavailableException("the job store (PostgreSQL) is unreachable: " + reason, 1);
    }

    private static void rollbackQuietly(Connection db, SQLException cause) {
        try {
            db.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
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
        return "postgresql " + url + " (replica " + owner + ")";
    }

    @Override
    public Optional<String> unavailable() {
        if (closing) {
            return Optional.of("the job store is closed");
        }
        String reason = down;
        if (reason != null) {
            return Optional.of("PostgreSQL unreachable: " + reason);
        }
        return Optional.ofNullable(writer.unavailable());
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
        closing = true;
        if (down == null) {
            try (Connection db = pool.getConnection()) {
                int released = PostgresJobs.releaseClaims(db, owner, System.currentTimeMillis());
                if (released > 0) {
                    log.info("released {} email jobs this replica was sending; another replica sends them", released);
                }
            } catch (SQLException e) {
                log.warn("could not release this replica's claims (they expire with their lease): {}", Causes.rootMessage(e));
            }
        }
        readers.close();
        listener.interrupt();
        try {
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
