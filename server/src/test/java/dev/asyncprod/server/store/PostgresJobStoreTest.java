package dev.asyncprod.server.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.PostgresUrl;
import dev.asyncprod.server.email.Accepted;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.support.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared store's own promises, below HTTP, against a real PostgreSQL: an idempotency key is
 * one job even within one batch, a job being delivered keeps its lease and lets it go with its
 * outcome, an outcome from a replica that lost the job is not stored, and closing puts back what
 * this replica still holds.
 */
@Timeout(value = 60, unit = SECONDS)
class PostgresJobStoreTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final EmailRequest ANA = EmailRequest.of("ana@example.com", "Welcome", "Hello Ana");
    private static final EmailRequest BOB = EmailRequest.of("ana@example.com", "Welcome", "Hello Bob");

    private final List<PostgresJobStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(PostgresJobStore::close);
    }

    private PostgresJobStore open(String database, Duration lease) throws Exception {
        PostgresJobStore store = PostgresJobStore.open(PostgresUrl.parse(database), lease);
        opened.add(store);
        return store;
    }

    private static String quoted(String id) {
        return "'" + id + "'";
    }

    @Test
    void oneKeyIsOneJobEvenWhenItsSubmissionsShareABatch() throws Exception {
        String database = postgres.newDatabase();
        PostgresJobStore store = open(database, Duration.ofSeconds(30));

        List<CompletableFuture<Accepted>> submissions = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // handed over back to back: most land in one transaction
            submissions.add(store.accept(ANA, "order-1", false));
        }
        List<Accepted> answers = new ArrayList<>();
        for (CompletableFuture<Accepted> s : submissions) {
            answers.add(s.get(30, SECONDS));
        }

        assertThat(answers).filteredOn(a -> a.outcome() == Outcome.CREATED).hasSize(1);
        assertThat(answers).filteredOn(a -> a.outcome() == Outcome.REPLAYED).hasSize(19);
        assertThat(answers).extracting(a -> a.job().id()).containsOnly(answers.get(0).job().id());
        Accepted other = store.accept(BOB, "order-1", false).get(30, SECONDS);
        assertThat(other.outcome()).isEqualTo(Outcome.KEY_REUSED);
        assertThat(other.job().id()).isEqualTo(answers.get(0).job().id());
        assertThat(postgres.queryLong(database, "SELECT count(*) FROM email_jobs")).isEqualTo(1);
    }

    @Test
    void aJobBeingDeliveredKeepsItsLeaseAndLetsItGoWithItsOutcome() throws Exception {
        String database = postgres.newDatabase();
        PostgresJobStore store = open(database, Duration.ofSeconds(3)); // renewed about every second
        store.accept(ANA, null, false).get(30, SECONDS);
        Job claimed = store.claimDue(10).get(30, SECONDS).get(0);
        String row = " FROM email_jobs WHERE id = " + quoted(claimed.id());
        long firstLease = postgres.queryLong(database, "SELECT lease_until" + row);

        await().atMost(Duration.ofSeconds(30)).until(() -> postgres.queryLong(database, "SELECT lease_until" + row) > firstLease);

        Job sent = store.save(claimed.sent(Instant.now())).get(30, SECONDS);
        assertThat(sent.status()).isEqualTo(JobStatus.SENT);
        assertThat(postgres.queryLong(database, "SELECT count(*)" + row + " AND status = 'sent' AND claimed_by IS NULL"
                + " AND lease_until IS NULL")).isEqualTo(1);
    }

    @Test
    void anOutcomeFromAReplicaThatLostTheJobIsNotStored() throws Exception {
        String database = postgres.newDatabase();
        PostgresJobStore store = open(database, Duration.ofSeconds(30));
        store.accept(ANA, null, false).get(30, SECONDS);
        Job claimed = store.claimDue(10).get(30, SECONDS).get(0);
        String row = " FROM email_jobs WHERE id = " + quoted(claimed.id());
        postgres.execute(database, "UPDATE email_jobs SET claimed_by = 'another-replica' WHERE id = " + quoted(claimed.id()));

        store.save(claimed.sent(Instant.now())).get(30, SECONDS); // completes: the attempt is over either way

        assertThat(postgres.queryLong(database, "SELECT count(*)" + row + " AND status = 'sending'"
                + " AND claimed_by = 'another-replica'")).isEqualTo(1);
    }

    @Test
    void closingPutsBackTheJobsThisReplicaIsDelivering() throws Exception {
        String database = postgres.newDatabase();
        PostgresJobStore leaving = open(database, Duration.ofMinutes(5));
        PostgresJobStore staying = open(database, Duration.ofMinutes(5));
        Job accepted = leaving.accept(ANA, null, false).get(30, SECONDS).job();
        assertThat(leaving.claimDue(10).get(30, SECONDS)).extracting(Job::id).containsExactly(accepted.id());

        opened.remove(leaving);
        leaving.close();

        // Due again at once, not in five minutes: the other replica takes it now, for a second attempt.
        List<Job> taken = staying.claimDue(10).get(30, SECONDS);
        assertThat(taken).extracting(Job::id).containsExactly(accepted.id());
        assertThat(taken.get(0).attempts()).isEqualTo(2);
    }
}
