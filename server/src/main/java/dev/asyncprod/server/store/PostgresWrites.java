package dev.asyncprod.server.store;

import dev.asyncprod.server.email.Accepted;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.Job;
import dev.asyncprod.server.email.KeyedJob;
import dev.asyncprod.server.email.StoreUnavailableException;
import dev.asyncprod.server.store.PostgresJobs.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the PostgreSQL store's writer thread applies: new jobs and attempts' outcomes, a whole
 * batch in one transaction of a few set-based statements. An idempotency key already taken (in
 * this batch, an earlier one, or by another replica: the unique constraint decides) answers with
 * the job that holds it. Every future settles only after the commit, or with its failure.
 */
final class PostgresWrites implements GroupCommit.Committer<PostgresWrites.Write> {

    private static final Logger log = LoggerFactory.getLogger(PostgresWrites.class);

    /** A new job or an attempt's outcome. */
    sealed interface Write extends GroupCommit.Write {
    }

    /** A new job; the job (and its random id) is made on the writer thread, since SecureRandom may block. */
    record NewJobWrite(EmailRequest email, String idempotencyKey, boolean claimForCaller, Instant at,
                       CompletableFuture<Accepted> result) implements Write {
        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }
    }

    /** An attempt's outcome, stored only while this replica still holds the job. */
    record OutcomeWrite(Job job, CompletableFuture<Job> result) implements Write {
        @Override
        public void fail(Throwable failure) {
            result.completeExceptionally(failure);
        }
    }

    private final PostgresConnections connections;
    private final Leases leases;
    private final PostgresAvailability availability;
    private final StoreMeters meters;

    PostgresWrites(PostgresConnections connections, Leases leases, PostgresAvailability availability, StoreMeters meters) {
        this.connections = connections;
        this.leases = leases;
        this.availability = availability;
        this.meters = meters;
    }

    /** One transaction for the whole batch: insert the new, look up the keys that were taken, write the outcomes. */
    @Override
    public void commit(List<Write> batch) {
        long start = System.nanoTime();
        List<NewJobWrite> accepts = new ArrayList<>();
        List<NewJob> rows = new ArrayList<>();
        List<OutcomeWrite> outcomes = new ArrayList<>();
        for (Write w : batch) {
            switch (w) {
                case NewJobWrite a -> {
                    accepts.add(a);
                    rows.add(row(a));
                }
                case OutcomeWrite o -> outcomes.add(o);
            }
        }
        Set<String> inserted = Set.of();
        Map<String, KeyedJob> earlier = Map.of();
        Set<String> saved = Set.of();
        try (Connection db = connections.pooled()) {
            db.setAutoCommit(false);
            try {
                if (!accepts.isEmpty()) {
                    inserted = PostgresJobs.insert(db, rows);
                    Set<String> found = inserted;
                    List<String> taken = rows.stream().filter(r -> !found.contains(r.job().id()))
                            .map(NewJob::idempotencyKey).toList();
                    if (!taken.isEmpty()) {
                        earlier = PostgresJobs.findByKeys(db, taken);
                    }
                    if (rows.stream().anyMatch(r -> found.contains(r.job().id()) && r.claimedBy() == null)) {
                        PostgresJobs.notifyListeners(db);
                    }
                }
                if (!outcomes.isEmpty()) {
                    saved = PostgresJobs.saveOutcomes(db, leases.owner(), outcomes.stream().map(OutcomeWrite::job).toList());
                }
                db.commit();
            } catch (SQLException e) {
                rollbackQuietly(db, e);
                throw e;
            }
        } catch (SQLException e) {
            Exception failure = availability.noteFailure(e);
            batch.forEach(w -> w.fail(failure));
            return;
        }
        meters.commitTook(start);
        for (int i = 0; i < accepts.size(); i++) {
            answer(accepts.get(i), rows.get(i), inserted, earlier);
        }
        for (OutcomeWrite o : outcomes) {
            if (!saved.contains(o.job().id())) {
                log.info("email job {}: its lease ran out and another replica holds it now; this attempt's outcome ({}) is"
                        + " not stored", o.job().id(), o.job().status().label());
            }
            o.result().complete(o.job());
        }
    }

    /** The row of a new job: claimed already, with a lease, when its caller delivers it itself. */
    private NewJob row(NewJobWrite a) {
        Job job = Job.create(a.email(), a.claimForCaller(), a.at());
        return new NewJob(job, a.idempotencyKey(), a.email().fingerprint(), a.claimForCaller() ? leases.owner() : null,
                leases.until(a.at().toEpochMilli()));
    }

    private void answer(NewJobWrite a, NewJob row, Set<String> inserted, Map<String, KeyedJob> earlier) {
        if (inserted.contains(row.job().id())) {
            if (row.claimedBy() != null) {
                leases.hold(row.job().id());
            }
            a.result().complete(new Accepted(row.job(), Outcome.CREATED));
            return;
        }
        KeyedJob first = earlier.get(row.idempotencyKey());
        if (first == null) { // the conflicting row was deleted between the two statements: retention, a day on
            a.fail(new StoreUnavailableException("the idempotency key's job just expired; retry", 1));
        } else {
            a.result().complete(first.replayFor(row.fingerprint()));
        }
    }

    private static void rollbackQuietly(Connection db, SQLException cause) {
        try {
            db.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
