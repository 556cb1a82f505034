package dev.asyncprod.server.email;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.email.Accepted.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a submission gets when its idempotency key already holds a job: the decision both stores share. */
@Timeout(value = 60, unit = SECONDS)
class KeyedJobTest {

    private static final EmailRequest ANA = EmailRequest.of("ana@example.com", "Welcome", "Hello Ana");
    private static final EmailRequest BOB = EmailRequest.of("ana@example.com", "Welcome", "Hello Bob");

    private final Job first = Job.create(ANA, false, Instant.parse("2025-01-01T00:00:00Z"));
    private final KeyedJob keyed = new KeyedJob(first, ANA.fingerprint());

    @Test
    void theSameEmailAgainIsAReplayOfTheFirstJob() {
        Accepted again = keyed.replayFor(ANA.fingerprint());

        assertThat(again.outcome()).isEqualTo(Outcome.REPLAYED);
        assertThat(again.job()).isSameAs(first);
    }

    @Test
    void anotherEmailUnderTheKeyIsRefusedAndNamesTheFirstJob() {
        Accepted other = keyed.replayFor(BOB.fingerprint());

        assertThat(other.outcome()).isEqualTo(Outcome.KEY_REUSED);
        assertThat(other.job()).isSameAs(first);
    }
}
