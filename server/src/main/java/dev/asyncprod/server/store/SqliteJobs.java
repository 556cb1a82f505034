package dev.asyncprod.server.store;

import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.email.KeyedJob;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;

/**
 * The jobs table in SQLite, over one JDBC connection. Plain blocking JDBC: only {@link SqliteJobStore}'s
 * writer thread calls it, one statement at a time, so it needs no locking of its own.
 */
final class SqliteJobs implements AutoCloseable {


    private final Connection db;

    SqliteJobs(Path file) throws SQLException {
        this.db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = db.createStatement()) {
            // WAL: readers never wait on the writer. synchronous=FULL: a commit is on disk before a 202,
            // so even a power cut (not only kill -9) keeps every accepted job. The tables are Flyway's (db/jobs/sqlite).
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
        }
        db.setAutoCommit(false);
    }

    void commit() throws SQLException {
        db.commit();
    }

    void rollback() throws SQLException {
        db.rollback();
    }

    /** Runs {@code body} so that a failure undoes only its own statements, not the rest of the batch. */
    <T> T inSavepoint(SqliteJobStore.Operation<T> body) throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute("SAVEPOINT op");
            try {
                T result = body.apply(this);
                s.execute("RELEASE op");
                return result;
            } catch (Exception e) {
                s.execute("ROLLBACK TO op");
                s.execute("RELEASE op");
                throw e;
            }
        }
    }

    Optional<Job> find(String id) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ?")) {
            q.setString(1, id);
            return one(q);
        }
    }

    /** The job stored under this idempotency key, with the fingerprint of the request that created it. */
    Optional<KeyedJob> findByKey(String key) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT " + JobRows.COLUMNS + ", fingerprint FROM jobs WHERE idempotency_key = ?")) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new KeyedJob(JobRows.job(rs), rs.getString("fingerprint"))) : Optional.empty();
            }
        }
    }

    void insert(Job job, String idempotencyKey, String fingerprint) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("INSERT INTO jobs (" + JobRows.COLUMNS
                + ", idempotency_key, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            q.setString(1, job.id());
            q.setString(2, job.email().to());
            q.setString(3, job.email().subject());
            q.setString(4, job.email().body());
            q.setString(5, job.status().label());
            q.setInt(6, job.attempts());
            q.setLong(7, job.createdAt().toEpochMilli());
            q.setLong(8, job.updatedAt().toEpochMilli());
            q.setLong(9, job.nextAttemptAt().toEpochMilli());
            q.setString(10, job.lastError());
            q.setString(11, idempotencyKey);
            q.setString(12, fingerprint);
            q.executeUpdate();
        }
    }

    /** Writes the job's state (status, attempts, times, error); the email itself never changes. */
    void update(Job job) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("UPDATE jobs SET status = ?, attempts = ?, updated_at = ?,"
                + " next_attempt_at = ?, last_error = ? WHERE id = ?")) {
            q.setString(1, job.status().label());
            q.setInt(2, job.attempts());
            q.setLong(3, job.updatedAt().toEpochMilli());
            q.setLong(4, job.nextAttemptAt().toEpochMilli());
            q.setString(5, job.lastError());
            q.setString(6, job.id());
            if (q.executeUpdate() != 1) {
                throw new SQLException("no job " + job.id());
            }
        }
    }

    /** Up to {@code limit} queued jobs due by {@code now}, oldest due first. */
    List<Job> due(Instant now, int limit) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM jobs"
                + " WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?")) {
            q.setLong(1, now.toEpochMilli());
            q.setInt(2, limit);
            return all(q);
        }
    }

    /** After a crash, jobs caught {@code sending} were maybe delivered, maybe not: send them again (at least once). */
    int requeueInterrupted() throws SQLException {
        try (PreparedStatement q = db.prepareStatement(
                "UPDATE jobs SET status = 'queued', next_attempt_at = ? WHERE status = 'sending'")) {
            q.setLong(1, Instant.now().toEpochMilli());
            return q.executeUpdate();
        }
    }


    /** Deletes finished jobs last changed before {@code cutoff}; the partial index jobs_finished finds them. */
    int deleteFinishedBefore(Instant cutoff) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(
                "DELETE FROM jobs WHERE status IN ('sent', 'failed') AND updated_at < ?")) {
            q.setLong(1, cutoff.toEpochMilli());
            return q.executeUpdate();
        }
    }

    Map<JobStatus, Long> countByStatus() throws SQLException {
        return JobRows.countByStatus(db, "jobs");
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    private static Optional<Job> one(PreparedStatement q) throws SQLException {
        List<Job> jobs = all(q);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    private static List<Job> all(PreparedStatement q) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                jobs.add(JobRows.job(rs));
            }
        }
        return jobs;
    }
}
