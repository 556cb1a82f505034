package dev.asyncprod.server.email;

import dev.asyncprod.server.email.Accepted.Outcome;

/**
 * The job an idempotency key already holds, with the fingerprint ({@link EmailRequest#fingerprint})
 * of the email that created it. A store finds one when a key comes again; what the new submission
 * gets is decided here, the same for every store.
 */
public record KeyedJob(Job job, String fingerprint) {

    /** What a submission under the same key gets: this job, replayed if it carries the same email, else refused. */
    public Accepted replayFor(String submittedFingerprint) {
        return new Accepted(job, fingerprint.equals(submittedFingerprint) ? Outcome.REPLAYED : Outcome.KEY_REUSED);
    }
}
