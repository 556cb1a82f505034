package dev.asyncprod.server.email;

import dev.asyncprod.server.http.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One accepted email and its delivery state, as stored.
 *
 * @param nextAttemptAt when a queued job becomes due (now for a new job, later for a retry)
 * @param lastError     the last failed attempt's reason, or null
 */
public record Job(String id, EmailRequest email, JobStatus status, int attempts, Instant createdAt,
                  Instant updatedAt, Instant nextAttemptAt, String lastError) {

    /** The Message-ID every attempt carries: derived from the job id, so a duplicate after a crash is recognisable. */
    public String messageId() {
        return "<" + id + "@asyncprod.local>";
    }

    /** The store keeps milliseconds; a fresh job shows the same precision as a stored one. */
    private static String millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** Claimed for an attempt: one more attempt, due time kept for the record. */
    public Job sending(Instant now) {
        return new Job(id, email, JobStatus.SENDING, attempts + 1, createdAt, now, nextAttemptAt, lastError);
    }

    public Job sent(Instant now) {
        return new Job(id, email, JobStatus.SENT, attempts, createdAt, now, now, lastError);
    }

    /** Back in the queue after a transient failure, due again at {@code retryAt}. */
    public Job retryAt(Instant now, Instant retryAt, String error) {
        return new Job(id, email, JobStatus.QUEUED, attempts, createdAt, now, retryAt, error);
    }

    public Job failed(Instant now, String error) {
        return new Job(id, email, JobStatus.FAILED, attempts, createdAt, now, now, error);
    }

    /** {@code GET /jobs/{id}}'s body. */
    public Json toJson() {
        Json json = Json.object()
                .put("id", id)
                .put("status", status.label())
                .put("to", email.to())
                .put("subject", email.subject())
                .put("message_id", messageId())
                .put("attempts", attempts)
                .put("created_at", millis(createdAt))
                .put("updated_at", millis(updatedAt));
        if (status == JobStatus.QUEUED) {
            json.put("next_attempt_at", millis(nextAttemptAt));
        }
        return json.put("last_error", lastError);
    }
}
