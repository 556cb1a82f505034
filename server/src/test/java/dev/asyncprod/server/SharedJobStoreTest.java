package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static dev.asyncprod.server.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.ServerCommand;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.PostgresExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicas sharing one PostgreSQL job store ({@code --jobs postgresql://...}), in-process, one per
 * mode: a job accepted by any is seen and delivered by any, an idempotency key means one job
 * everywhere, a dead replica's claims pass to the others, and an outage is a fast 503 that heals
 * by itself. Against a real PostgreSQL server.
 */
class SharedJobStoreTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final String EMAIL = """
            {"to": "ana@example.com", "subject": "Welcome", "body": "Hello Ana"}""";

    private final List<Server> started = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        started.forEach(Server::close);
    }

    private Server replica(String jobs, String mode, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--port=0", "--mode=" + mode,
                "--data-dir=" + Files.createTempDirectory("asyncprod-replica-"), "--jobs=" + jobs,
                "--access-log=off", "--admin-port=0")); // replicas on one host: no admin listener to collide on
        args.addAll(List.of(flags));
        if (args.stream().noneMatch(a -> a.startsWith("--email-latency"))) {
            args.add("--email-latency=50ms");
        }
        Server server = Server.start(ServerCommand.parse(args.toArray(String[]::new)));
        started.add(server);
        return server;
    }

    private static URI uri(Server server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void aJobAcceptedByOneReplicaIsSeenByEveryOtherAndDeliveredOnce() throws Exception {
        String jobs = postgres.newDatabase();
        Server a = replica(jobs, "async");
        Server b = replica(jobs, "blocking");
        Server c = replica(jobs, "virtual");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Server through = List.of(a, b, c).get(i % 3);
            HttpResponse<String> accepted = Http.postJson(uri(through, "/email"), EMAIL);
            assertThat(accepted.statusCode()).isEqualTo(202);
            ids.add(stringField(accepted.body(), "id"));
        }

        for (String id : ids) {
            for (Server any : List.of(a, b, c)) { // round robin sends the lookup anywhere
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    HttpResponse<String> job = Http.get(uri(any, "/jobs/" + id));
                    assertThat(job.statusCode()).isEqualTo(200);
                    assertThat(stringField(job.body(), "status")).isEqualTo("sent");
                    assertThat(longField(job.body(), "attempts")).isEqualTo(1);
                });
            }
        }
        // Every job went out exactly once, from whichever replica claimed it.
        long delivered = Stream.of(a, b, c).mapToLong(r -> countOccurrences(Http.get(uri(r, "/mailbox?limit=1000")).body(),
                "@asyncprod.local>")).sum();
        assertThat(delivered).isEqualTo(ids.size());
        assertThat(postgres.queryLong(jobs, "SELECT count(*) FROM email_jobs WHERE status = 'sent'")).isEqualTo(ids.size());
        assertThat(Http.get(uri(b, "/info")).body()).contains("\"store_kind\":\"postgresql\"");
        assertThat(Http.get(uri(c, "/metrics")).body())
                .containsPattern("email_store_commit_seconds_count\\{[^}]*store=\"postgresql\"[^}]*} [1-9]")
                .containsPattern("email_store_claim_seconds_count\\{[^}]*store=\"postgresql\"[^}]*} [1-9]");
    }

    @Test
    void anIdempotencyKeyMeansOneJobThroughEveryReplicaEvenWhenTheyRace() throws Exception {
        String jobs = postgres.newDatabase();
        Server a = replica(jobs, "async");
        Server b = replica(jobs, "virtual");

        for (int i = 0; i < 20; i++) {
            String key = "order-" + i;
            CompletableFuture<HttpResponse<String>> viaA = CompletableFuture.supplyAsync(
                    () -> Http.postJson(uri(a, "/email"), EMAIL, "Idempotency-Key", key));
            CompletableFuture<HttpResponse<String>> viaB = CompletableFuture.supplyAsync(
                    () -> Http.postJson(uri(b, "/email"), EMAIL, "Idempotency-Key", key));
            HttpResponse<String> first = join(viaA);
            HttpResponse<String> second = join(viaB);

            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(second.statusCode()).isEqualTo(202);
            assertThat(stringField(second.body(), "id")).isEqualTo(stringField(first.body(), "id"));
            Set<String> replayed = Stream.of(first, second)
                    .map(r -> r.headers().firstValue("idempotent-replayed").orElse("no")).collect(Collectors.toSet());
            assertThat(replayed).containsExactlyInAnyOrder("true", "no"); // one created it, the other found it

            HttpResponse<String> other = Http.postJson(uri(i % 2 == 0 ? b : a, "/email"),
                    EMAIL.replace("Hello Ana", "Hello Bob"), "Idempotency-Key", key);
            assertProblem(other, 422, "idempotency_key_reused");
        }
        assertThat(postgres.queryLong(jobs, "SELECT count(*) FROM email_jobs")).isEqualTo(20);
    }

    @Test
    void aDeadReplicasJobsAreTakenOverOnceItsLeaseRunsOut() throws Exception {
        String jobs = postgres.newDatabase();
        Server live = replica(jobs, "async", "--job-lease=2s");
        long now = System.currentTimeMillis();
        // Two jobs a replica claimed before it died: one lease already over, one with three seconds to go.
        for (Object[] job : new Object[][] {{"00000000-0000-4000-8000-000000000001", now - 1_000},
                {"00000000-0000-4000-8000-000000000002", now + 3_000}}) {
            postgres.execute(jobs, "INSERT INTO email_jobs (id, fingerprint, recipient, subject, body, status, attempts,"
                    + " created_at, updated_at, next_attempt_at, claimed_by, lease_until) VALUES ('" + job[0]
                    + "', 'x', 'ana@example.com', 'Welcome', 'Hello', 'sending', 1, " + now + ", " + now + ", " + now
                    + ", 'dead-replica', " + job[1] + ")");
        }

        for (String id : List.of("00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String job = Http.get(uri(live, "/jobs/" + id)).body();
                assertThat(stringField(job, "status")).isEqualTo("sent");
                assertThat(longField(job, "attempts")).isEqualTo(2); // the dead replica's attempt, then this one
            });
        }
        assertThat(postgres.queryLong(jobs, "SELECT count(*) FROM email_jobs WHERE claimed_by IS NOT NULL")).isZero();
    }

    @Test
    void aDeliveryLongerThanTheLeaseKeepsItsJobBecauseTheLeaseIsRenewed() throws Exception {
        String jobs = postgres.newDatabase();
        Server a = replica(jobs, "async", "--job-lease=1s", "--email-latency=4s");
        Server b = replica(jobs, "virtual", "--job-lease=1s", "--email-latency=4s");
        String id = stringField(Http.postJson(uri(a, "/email"), EMAIL).body(), "id");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stringField(Http.get(uri(b, "/jobs/" + id)).body(), "status")).isEqualTo("sent"));
        // Four times the lease, and still one attempt: the other replica never took it over.
        assertThat(longField(Http.get(uri(b, "/jobs/" + id)).body(), "attempts")).isEqualTo(1);
        long copies = Stream.of(a, b).mapToLong(r -> countOccurrences(Http.get(uri(r, "/mailbox?limit=1000")).body(),
                "<" + id + "@asyncprod.local>")).sum();
        assertThat(copies).isEqualTo(1);
    }

    @Test
    void postgresDownIsAFast503AndTheServerRecoversByItself() throws Exception {
        String jobs = postgres.newDatabase();
        // A short lease: a delivery whose outcome could not be stored in the outage is sent again once it runs out.
        Server server = replica(jobs, "async", "--job-lease=3s");
        // Posts keep coming through the outage: each answer is 202 (stored) or 503 (not), nothing else.
        List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Integer> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean posting = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poster = Thread.ofPlatform().name("poster").start(() -> {
            while (posting.get()) {
                HttpResponse<String> r = Http.postJson(uri(server, "/email"), EMAIL);
                if (r.statusCode() == 202) {
                    accepted.add(stringField(r.body(), "id"));
                } else if (r.statusCode() == 503 && r.headers().firstValue("retry-after").isPresent()) {
                    refused.add(r.statusCode());
                } else {
                    unexpected.add(r.statusCode() + " " + r.body());
                }
                try {
                    Thread.sleep(10); // about 100 posts a second: a steady stream, not a flood
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() >= 20);
            postgres.stop();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> refused.size() >= 20);
                long start = System.nanoTime();
                HttpResponse<String> refusedNow = Http.postJson(uri(server, "/email"), EMAIL);
                assertProblem(refusedNow, 503, "overloaded");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                HttpResponse<String> ready = Http.get(uri(server, "/health/ready"));
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("job_store").contains("PostgreSQL unreachable");
                assertThat(Http.get(uri(server, "/jobs/" + accepted.get(0))).statusCode()).isEqualTo(503);
                assertThat(Http.get(uri(server, "/hello")).statusCode()).isEqualTo(200); // the rest keeps answering
            } finally {
                postgres.start();
            }
            int beforeRecovery = accepted.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() > beforeRecovery + 20);
        } finally {
            posting.set(false);
            poster.join(70_000);
        }
        assertThat(unexpected).isEmpty();
        assertThat(Http.get(uri(server, "/health/ready")).statusCode()).isEqualTo(200);
        // Every 202 is in the database, and delivered: before, during and after the outage.
        for (String id : List.copyOf(accepted)) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(stringField(Http.get(uri(server, "/jobs/" + id)).body(), "status")).isEqualTo("sent"));
        }
        assertThat(postgres.queryLong(jobs, "SELECT count(*) FROM email_jobs")).isGreaterThanOrEqualTo(accepted.size());
    }

    @Test
    void finishedJobsAndTheirKeysAreDeletedAfterTheRetention() throws Exception {
        String jobs = postgres.newDatabase();
        Server server = replica(jobs, "virtual", "--job-retention=1s");
        for (int i = 0; i < 20; i++) {
            assertThat(Http.postJson(uri(server, "/email"), EMAIL, "Idempotency-Key", "k" + i).statusCode()).isEqualTo(202);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(postgres.queryLong(jobs, "SELECT count(*) FROM email_jobs")).isZero());
        // The key is free again: the same key makes a new job.
        HttpResponse<String> again = Http.postJson(uri(server, "/email"), EMAIL, "Idempotency-Key", "k0");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("idempotent-replayed")).isEmpty();
    }

    @Test
    void anUnreachableDatabaseAtStartFailsTheStartWithOneLine() throws Exception {
        String nowhere = PostgresExtension.unreachableUrl();
        assertThatThrownBy(() -> replica(nowhere, "async"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach the job store " + nowhere)
                .hasMessageNotContaining("\n");
    }

    private static long countOccurrences(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
