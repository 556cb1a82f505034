package dev.asyncprod.server.email;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pump as the email room relies on it: what is due gets delivered, never more than
 * {@code concurrency} at once and in the order the store hands it out; a full claim looks again at
 * once, a retry coming due is found by the tick, a failed claim or attempt costs no place; a
 * drain delivers what is due and then claims nothing more.
 */
@Timeout(value = 60, unit = SECONDS)
class DeliveryPumpTest {

    private static final Duration NEVER = Duration.ofHours(1); // a tick that never comes within a test
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final QueueStore store = new QueueStore();
    /** Attempts started, in order, each with the future the pump waits on. */
    private final Map<String, CompletableFuture<Job>> attempts = new ConcurrentHashMap<>();
    private final List<String> started = Collections.synchronizedList(new ArrayList<>());
    private final List<DeliveryPump> pumps = new ArrayList<>();

    @AfterEach
    void closePumps() {
        pumps.forEach(DeliveryPump::close);
    }

    private DeliveryPump pump(int concurrency, Duration tick, Function<Job, CompletableFuture<Job>> runner) {
        DeliveryPump pump = new DeliveryPump(store, job -> {
            started.add(job.id());
            return runner.apply(job);
        }, concurrency, tick);
        pumps.add(pump);
        return pump;
    }

    /** A runner whose attempts finish when the test says so. */
    private CompletableFuture<Job> held(Job job) {
        return attempts.computeIfAbsent(job.id(), id -> new CompletableFuture<>());
    }

    private static CompletableFuture<Job> sentAtOnce(Job job) {
        return CompletableFuture.completedFuture(job.sent(Instant.now()));
    }

    @Test
    void whatIsDueIsDeliveredInTheStoresOrderNeverMoreThanConcurrencyAtOnce() {
        List<String> due = store.add(5);
        DeliveryPump pump = pump(2, NEVER, this::held);
        pump.wake();

        await().atMost(WAIT).until(() -> started.size() == 2);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> started.size() == 2 && pump.inFlight() == 2);
        assertThat(store.limitsAsked).allSatisfy(limit -> assertThat(limit).isBetween(1, 2));

        for (int finished = 0; finished < 5; finished++) {
            String next = due.get(finished);
            await().atMost(WAIT).until(() -> attempts.containsKey(next));
            attempts.get(next).complete(null);
            int expectedStarted = Math.min(5, finished + 3);
            await().atMost(WAIT).until(() -> started.size() == expectedStarted);
            assertThat(pump.inFlight()).isLessThanOrEqualTo(2);
        }
        await().atMost(WAIT).until(() -> pump.attemptsFinished() == 5 && pump.inFlight() == 0);
        assertThat(started).containsExactlyElementsOf(due);
    }

    @Test
    void aFullClaimLooksAgainAtOnceRatherThanWaitingForTheTick() {
        List<String> due = store.add(25);
        DeliveryPump pump = pump(10, NEVER, DeliveryPumpTest::sentAtOnce);
        pump.wake();

        await().atMost(WAIT).until(() -> pump.attemptsFinished() == 25);
        assertThat(started).containsExactlyElementsOf(due);
        assertThat(store.limitsAsked.get(0)).isEqualTo(10);
    }

    @Test
    void aJobComingDueWithoutAWakeUpIsFoundByTheTick() {
        DeliveryPump pump = pump(10, Duration.ofMillis(100), DeliveryPumpTest::sentAtOnce);
        await().atMost(WAIT).until(() -> store.claims.get() >= 1); // the pump looks once as it starts

        List<String> retry = store.add(1); // nobody calls wake(): a retry whose time came
        await().atMost(WAIT).until(() -> pump.attemptsFinished() == 1);
        assertThat(started).containsExactlyElementsOf(retry);
    }

    @Test
    void aClaimThatFailsIsTriedAgainOnTheNextTick() {
        store.failingClaims.set(2);
        List<String> due = store.add(3);
        DeliveryPump pump = pump(10, Duration.ofMillis(100), DeliveryPumpTest::sentAtOnce);
        pump.wake();

        await().atMost(WAIT).until(() -> pump.attemptsFinished() == 3);
        assertThat(started).containsExactlyElementsOf(due);
        assertThat(store.claims.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anAttemptThatFailsOrThrowsStillFreesItsPlace() {
        List<String> due = store.add(3);
        DeliveryPump pump = pump(1, NEVER, job -> {
            if (job.id().equals(due.get(0))) {
                throw new IllegalStateException("a runner's bug");
            }
            if (job.id().equals(due.get(1))) {
                return CompletableFuture.failedFuture(new StoreUnavailableException("outcome not stored", 1));
            }
            return sentAtOnce(job);
        });
        pump.wake();

        await().atMost(WAIT).until(() -> pump.attemptsFinished() == 3);
        assertThat(started).containsExactlyElementsOf(due);
        assertThat(pump.inFlight()).isZero();
    }

    @Test
    void drainDeliversEverythingDueThenClaimsNothingMore() throws Exception {
        store.add(6);
        DeliveryPump pump = pump(2, NEVER, job -> CompletableFuture.supplyAsync(() -> job.sent(Instant.now()),
                CompletableFuture.delayedExecutor(20, MILLISECONDS)));

        assertThat(pump.drain(WAIT)).isTrue();
        assertThat(started).hasSize(6);
        assertThat(pump.inFlight()).isZero();

        int claimsAfterDrain = store.claims.get();
        store.add(1);
        pump.wake();
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> store.claims.get() == claimsAfterDrain);
        assertThat(started).hasSize(6);
    }

    @Test
    void drainGivesUpAtItsTimeoutWhileADeliveryHangs() throws Exception {
        store.add(1);
        DeliveryPump pump = pump(2, NEVER, this::held); // never completed

        assertThat(pump.drain(Duration.ofMillis(500))).isFalse();
        assertThat(pump.inFlight()).isEqualTo(1);
    }

    /** Due jobs in a queue, oldest first; only what the pump calls is there. */
    private static final class QueueStore implements JobStore {
        final ConcurrentLinkedDeque<Job> due = new ConcurrentLinkedDeque<>();
        final List<Integer> limitsAsked = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger failingClaims = new AtomicInteger();

        /** Adds {@code n} due jobs; returns their ids in due order. */
        List<String> add(int n) {
            List<String> ids = new ArrayList<>();
            IntStream.range(0, n).forEach(i -> {
                Job job = Job.create(EmailRequest.of("ana@example.com", "Welcome " + i, "Hello"), false, Instant.now());
                due.add(job);
                ids.add(job.id());
            });
            return ids;
        }

        @Override
        public CompletableFuture<List<Job>> claimDue(int limit) {
            claims.incrementAndGet();
            limitsAsked.add(limit);
            if (failingClaims.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return CompletableFuture.failedFuture(new StoreUnavailableException("the database is down", 1));
            }
            List<Job> claimed = new ArrayList<>();
            Job job;
            while (claimed.size() < limit && (job = due.poll()) != null) {
                claimed.add(job.sending(Instant.now()));
            }
            return CompletableFuture.completedFuture(claimed);
        }

        @Override
        public CompletableFuture<Accepted> accept(EmailRequest email, String idempotencyKey, boolean claimForCaller) {
            throw new UnsupportedOperationException("the pump never accepts");
        }

        @Override
        public CompletableFuture<Optional<Job>> find(String id) {
            throw new UnsupportedOperationException("the pump never looks up");
        }

        @Override
        public CompletableFuture<Job> save(Job job) {
            throw new UnsupportedOperationException("the runner saves, not the pump");
        }

        @Override
        public CompletableFuture<Map<JobStatus, Long>> countByStatus() {
            throw new UnsupportedOperationException("the pump never counts");
        }

        @Override
        public CompletableFuture<Integer> deleteFinishedBefore(Instant cutoff) {
            throw new UnsupportedOperationException("the pump never sweeps");
        }

        @Override
        public Duration pollEvery() {
            return NEVER;
        }

        @Override
        public String kind() {
            return "queue";
        }

        @Override
        public int pending() {
            return 0;
        }

        @Override
        public String describe() {
            return "an in-memory queue";
        }

        @Override
        public Optional<String> unavailable() {
            return Optional.empty();
        }

        @Override
        public void bindTo(MeterRegistry registry) {
        }

        @Override
        public void close() {
        }
    }
}
