package dev.asyncprod.server.store;

import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.email.KeyedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code email_jobs} table's statements (schema in {@code db/jobs/postgresql}). Set-based where
 * a batch is written: a whole batch of new jobs is one {@code INSERT ... SELECT FROM unnest(...)},
 * so a commit costs the same few round trips for one job or two hundred. Stateless: every method
 * takes the connection to run on.
 */
final class PostgresJobs {

    /** The channel replicas are told on when a job is added (payload empty: "look"). */
    static final String CHANNEL = "email_jobs";

    /** The job columns as an UPDATE ... FROM ... RETURNING names them: of the table, not of the claim. */
    private static final String QUALIFIED = JobRows.COLUMNS.replaceAll("(\\w+)", "j.$1");

    /** A new job as it is inserted: claimed already by {@code claimedBy} when its caller delivers it itself. */
    record NewJob(Job job, String idempotencyKey, String fingerprint, String claimedBy, long leaseUntil) {
    }

    private PostgresJobs() {
    }

    /**
     * Inserts every job whose idempotency key (if any) is not taken yet: the unique constraint
     * decides, across replicas; an insert racing another replica's waits for its commit and then
     * yields. Returns the ids inserted.
     */
    static Set<String> insert(Connection db, List<NewJob> jobs) throws SQLException {
        int n = jobs.size();
        String[] ids = new String[n], keys = new String[n], prints = new String[n], to = new String[n],
                subjects = new String[n], bodies = new String[n], statuses = new String[n], owners = new String[n];
        Integer[] attempts = new Integer[n];
        Long[] times = new Long[n], leases = new Long[n];
        for (int i = 0; i < n; i++) {
            NewJob j = jobs.get(i);
            ids[i] = j.job().id();
            keys[i] = j.idempotencyKey();
            prints[i] = j.fingerprint();
            to[i] = j.job().email().to();
            subjects[i] = j.job().email().subject();
            bodies[i] = j.job().email().body();
            statuses[i] = j.job().status().label();
            attempts[i] = j.job().attempts();
            times[i] = j.job().createdAt().toEpochMilli();
            owners[i] = j.claimedBy();
            leases[i] = j.claimedBy() == null ? null : j.leaseUntil();
        }
        try (PreparedStatement q = db.prepareStatement("INSERT INTO email_jobs (id, idempotency_key, fingerprint,"
                + " recipient, subject, body, status, attempts, created_at, updated_at, next_attempt_at, claimed_by,"
                + " lease_until) SELECT id, k, f, r, s, b, st, a, t, t, t, o, l FROM unnest(?::uuid[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::bigint[])"
                + " AS u(id, k, f, r, s, b, st, a, t, o, l)"
                + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")) {
            Object[][] columns = {ids, keys, prints, to, subjects, bodies, statuses, attempts, times, owners, leases};
            String[] types = {"uuid", "text", "text", "text", "text", "text", "text", "int4", "int8", "text", "int8"};
            for (int c = 0; c < columns.length; c++) {
                q.setArray(c + 1, db.createArrayOf(types[c], columns[c]));
            }
            Set<String> inserted = new HashSet<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
            return inserted;
        }
    }

    /** The jobs stored under these idempotency keys, each with the fingerprint of the email that created it. */
    static Map<String, KeyedJob> findByKeys(Connection db, Collection<String> keys) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT " + JobRows.COLUMNS + ", idempotency_key, fingerprint"
                + " FROM email_jobs WHERE idempotency_key = ANY (?)")) {
            q.setArray(1, db.createArrayOf("text", keys.toArray()));
            Map<String, KeyedJob> found = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString("idempotency_key"), new KeyedJob(JobRows.job(rs), rs.getString("fingerprint")));
                }
            }
            return found;
        }
    }

    /**
     * Writes attempts' outcomes, each only while {@code owner} still holds the job: a replica whose
     * lease ran out and was taken over must not overwrite the new holder's state. Releases the
     * claim. Returns the ids written.
     */
    static Set<String> saveOutcomes(Connection db, String owner, List<Job> jobs) throws SQLException {
        int n = jobs.size();
        String[] ids = new String[n], statuses = new String[n], errors = new String[n];
        Integer[] attempts = new Integer[n];
        Long[] updated = new Long[n], next = new Long[n];
        for (int i = 0; i < n; i++) {
            Job j = jobs.get(i);
            ids[i] = j.id();
            statuses[i] = j.status().label();
            errors[i] = j.lastError();
            attempts[i] = j.attempts();
            updated[i] = j.updatedAt().toEpochMilli();
            next[i] = j.nextAttemptAt().toEpochMilli();
        }
        try (PreparedStatement q = db.prepareStatement("UPDATE email_jobs j SET status = u.st, attempts = u.a,"
                + " updated_at = u.up, next_attempt_at = u.nx, last_error = u.e, claimed_by = NULL, lease_until = NULL"
                + " FROM unnest(?::uuid[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::text[])"
                + " AS u(id, st, a, up, nx, e) WHERE j.id = u.id AND j.claimed_by = ? RETURNING j.id")) {
            q.setArray(1, db.createArrayOf("uuid", ids));
            q.setArray(2, db.createArrayOf("text", statuses));
            q.setArray(3, db.createArrayOf("int4", attempts));
            q.setArray(4, db.createArrayOf("int8", updated));
            q.setArray(5, db.createArrayOf("int8", next));
            q.setArray(6, db.createArrayOf("text", errors));
            q.setString(7, owner);
            Set<String> saved = new HashSet<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    saved.add(rs.getString(1));
                }
            }
            return saved;
        }
    }

    /** Tells every listening replica that new work is there; delivered when the transaction commits. */
    static void notifyListeners(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("NOTIFY " + CHANNEL);
        }
    }

    static Optional<Job> find(Connection db, String id) throws SQLException {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not an id this store ever made
        }
        try (PreparedStatement q = db.prepareStatement("SELECT " + JobRows.COLUMNS + " FROM email_jobs WHERE id = ?")) {
            q.setObject(1, uuid);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(JobRows.job(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Claims up to {@code limit} jobs for {@code owner} until {@code leaseUntil}: first those whose
     * holder's lease ran out (a replica that died mid-delivery), then queued jobs due by
     * {@code now}, oldest due first. {@code SKIP LOCKED}: replicas claiming at once take different
     * jobs and never wait on each other.
     */
    static List<Job> claim(Connection db, String owner, long now, long leaseUntil, int limit) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("WITH expired AS (SELECT id, lease_until AS due FROM email_jobs"
                + " WHERE status = 'sending' AND lease_until <= ? ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED),"
                + " queued AS (SELECT id, next_attempt_at AS due FROM email_jobs WHERE status = 'queued'"
                + " AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED),"
                + " chosen AS (SELECT id FROM (SELECT * FROM expired UNION ALL SELECT * FROM queued) c ORDER BY due LIMIT ?)"
                + " UPDATE email_jobs j SET status = 'sending', attempts = j.attempts + 1, updated_at = ?,"
                + " claimed_by = ?, lease_until = ? FROM chosen WHERE j.id = chosen.id RETURNING " + QUALIFIED)) {
            q.setLong(1, now);
            q.setInt(2, limit);
            q.setLong(3, now);
            q.setInt(4, limit);
            q.setInt(5, limit);
            q.setLong(6, now);
            q.setString(7, owner);
            q.setLong(8, leaseUntil);
            List<Job> claimed = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    claimed.add(JobRows.job(rs));
                }
            }
            return claimed;
        }
    }

    /** Extends the leases {@code owner} still holds on these jobs: a long delivery keeps its job. */
    static int renewLeases(Connection db, String owner, Collection<String> ids, long leaseUntil) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("UPDATE email_jobs SET lease_until = ?"
                + " WHERE id = ANY (?::uuid[]) AND claimed_by = ? AND status = 'sending'")) {
            q.setLong(1, leaseUntil);
            q.setArray(2, db.createArrayOf("uuid", ids.toArray()));
            q.setString(3, owner);
            return q.executeUpdate();
        }
    }

    /** Puts back what {@code owner} still holds, due now, so another replica need not wait for the lease. */
    static int releaseClaims(Connection db, String owner, long now) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("UPDATE email_jobs SET status = 'queued', next_attempt_at = ?,"
                + " updated_at = ?, claimed_by = NULL, lease_until = NULL WHERE claimed_by = ? AND status = 'sending'")) {
            q.setLong(1, now);
            q.setLong(2, now);
            q.setString(3, owner);
            return q.executeUpdate();
        }
    }

    static Map<JobStatus, Long> countByStatus(Connection db) throws SQLException {
        return JobRows.countByStatus(db, "email_jobs");
    }

    /** Deletes finished jobs last changed before {@code cutoff}, at most {@code limit} in one statement. */
    static int deleteFinishedBefore(Connection db, long cutoff, int limit) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("DELETE FROM email_jobs WHERE id IN (SELECT id FROM email_jobs"
                + " WHERE status IN ('sent', 'failed') AND updated_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)")) {
            q.setLong(1, cutoff);
            q.setInt(2, limit);
            return q.executeUpdate();
        }
    }
}
