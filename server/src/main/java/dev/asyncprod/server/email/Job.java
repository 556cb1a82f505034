package dev.asyncprod.server.email;

import java.time.Instant;
import java.util.UUID;

/**
 * One accepted email and its delivery state, as stored.
 *
 * @param nextAttemptAt when a queued job becomes due (now for a new job, later for a retry)
 * @param lastError     the last failed attempt's reason, or null
 */
public record Job(String id, EmailRequest email, JobStatus status, int attempts, Instant createdAt,
                  Instant updatedAt, Instant nextAttemptAt, String lastError) {

    /**
     * A new job: queued and due now, or, for a caller that delivers it itself, already claimed for
     * its first attempt. Its id is a random UUID, unique across replicas without asking any of them;
     * UUID draws on SecureRandom, which may read /dev/urandom, so stores call this on their own threads.
     */
    public static Job create(EmailRequest email, boolean claimedForCaller, Instant now) {
        return new Job(UUID.randomUUID().toString(), email, claimedForCaller ? JobStatus.SENDING : JobStatus.QUEUED,
                claimedForCaller ? 1 : 0, now, now, now, null);
    }

    /** The Message-ID every attempt carries: derived from the job id, so a duplicate after a crash is recognisable. */
    public String messageId() {
        return "<" + id + "@asyncprod.local>";
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
}
