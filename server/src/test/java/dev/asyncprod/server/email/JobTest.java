package dev.asyncprod.server.email;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A new job as both stores create it: its identity and its first state. */
@Timeout(value = 60, unit = SECONDS)
class JobTest {

    private static final EmailRequest EMAIL = EmailRequest.of("ana@example.com", "Welcome", "Hello Ana");
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void aNewJobIsQueuedDueNowWithNoAttemptYet() {
        Job job = Job.create(EMAIL, false, NOW);

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(job.nextAttemptAt()).isEqualTo(NOW);
        assertThat(job.createdAt()).isEqualTo(NOW);
        assertThat(job.updatedAt()).isEqualTo(NOW);
        assertThat(job.lastError()).isNull();
        assertThat(job.email()).isEqualTo(EMAIL);
    }

    @Test
    void aJobItsCallerDeliversIsStoredAlreadySendingItsFirstAttempt() {
        Job job = Job.create(EMAIL, true, NOW);

        assertThat(job.status()).isEqualTo(JobStatus.SENDING);
        assertThat(job.attempts()).isEqualTo(1);
    }

    @Test
    void everyJobHasAUuidOfItsOwnThatItsMessageIdCarries() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            Job job = Job.create(EMAIL, false, NOW);
            assertThat(UUID.fromString(job.id()).toString()).isEqualTo(job.id()); // PostgreSQL's id column is a uuid
            assertThat(job.messageId()).isEqualTo("<" + job.id() + "@asyncprod.local>");
            ids.add(job.id());
        }
        assertThat(ids).hasSize(1_000);
    }
}
