package dev.asyncprod.server.endpoints;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A job as {@code GET /jobs/{id}} and {@code POST /email?wait=true} show it. Times in ISO-8601 to
 * the millisecond, the precision the stores keep; {@code next_attempt_at} only while queued.
 */
record JobJson(String id, String status, String to, String subject, String messageId, int attempts, String createdAt,
               String updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String nextAttemptAt, String lastError) {

    static JobJson of(Job job) {
        return new JobJson(job.id(), job.status().label(), job.email().to(), job.email().subject(), job.messageId(),
                job.attempts(), millis(job.createdAt()), millis(job.updatedAt()),
                job.status() == JobStatus.QUEUED ? millis(job.nextAttemptAt()) : null, job.lastError());
    }

    private static String millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
