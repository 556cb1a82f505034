package dev.asyncprod.server.store;

import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** What both job stores' tables have in common: the same columns (times in epoch milliseconds), read the same way. */
final class JobRows {

    /** The columns a {@link Job} is read from, in the order both schemas declare them. */
    static final String COLUMNS =
            "id, recipient, subject, body, status, attempts, created_at, updated_at, next_attempt_at, last_error";

    private JobRows() {
    }

    static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"),
                new EmailRequest(rs.getString("recipient"), rs.getString("subject"), rs.getString("body")),
                JobStatus.parse(rs.getString("status")), rs.getInt("attempts"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                Instant.ofEpochMilli(rs.getLong("next_attempt_at")), rs.getString("last_error"));
    }

    /** How many jobs of {@code table} are in each status; every status is there, zero or not. */
    static Map<JobStatus, Long> countByStatus(Connection db, String table) throws SQLException {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, count(*) FROM " + table + " GROUP BY status")) {
            while (rs.next()) {
                counts.put(JobStatus.parse(rs.getString(1)), rs.getLong(2));
            }
        }
        return counts;
    }
}
