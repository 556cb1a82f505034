package dev.asyncprod.server.email;

/** What became of a submitted email: its job, and whether this submission created it. */
public record Accepted(Job job, Outcome outcome) {

    public enum Outcome {
        /** A new job. */
        CREATED,
        /** The idempotency key was seen before with the same email: that job. */
        REPLAYED,
        /** The idempotency key was seen before with a different email: refused; the job is the first one. */
        KEY_REUSED
    }
}
