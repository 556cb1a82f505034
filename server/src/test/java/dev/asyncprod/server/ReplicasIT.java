package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.asyncprod.base.testing.BoundedJoin;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.PostgresExtension;
import dev.asyncprod.server.support.ServerProcess;
import dev.asyncprod.server.support.SlowMailServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three server processes sharing one PostgreSQL job store and one SMTP server, as behind a load
 * balancer: a replica killed with {@code kill -9} mid-delivery never comes back, and the others
 * deliver every job it had accepted or claimed once its lease runs out; a rolling restart (each
 * replica in turn drained and replaced) loses no job a client was told was accepted.
 */
class ReplicasIT {

    static final int JOBS = 600;

    @RegisterExtension
    @Order(1)
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @BeforeEach
    void slowMailServer() {
        // 40 ms per message: about 100 a second per replica's 4 connections, so the kill lands mid-delivery.
        SlowMailServer.delayEachMessage(mail, Duration.ofMillis(40));
    }

    private ServerJarProcess replica(String jobs, String mode) throws Exception {
        return ServerProcess.start("--jobs=" + jobs, "--mode=" + mode, "--smtp=127.0.0.1:" + mail.getSmtp().getPort(),
                "--smtp-connections=4", "--email-concurrency=8", "--job-lease=3s", "--access-log=off",
                "--data-dir=" + Files.createTempDirectory("asyncprod-replica-"));
    }

    @Test
    void aReplicaKilledMidDeliveryNeverComesBackAndTheOthersDeliverEverything() throws Exception {
        String jobs = postgres.newDatabase();
        try (ServerJarProcess doomed = replica(jobs, "async"); ServerJarProcess b = replica(jobs, "virtual");
             ServerJarProcess c = replica(jobs, "blocking")) {
            List<String> ids = acceptRoundRobin(List.of(doomed, b, c), JOBS);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> mail.getReceivedMessages().length >= JOBS / 4);
            doomed.signal("KILL");
            doomed.awaitExit(Duration.ofSeconds(30));
            assertThat(mail.getReceivedMessages().length).as("delivered before the kill").isLessThan(JOBS);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(deliveriesByMessageId().keySet()).containsAll(messageIds(ids)));
            Map<String, Long> copies = deliveriesByMessageId();
            // At least once; the few the dead replica was sending when it died may go out twice, same Message-ID.
            assertThat(copies.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
            System.out.printf("%d jobs delivered by the survivors and the dead; %d twice%n", copies.size(),
                    copies.values().stream().filter(n -> n == 2).count());
            for (String id : ids) {
                for (ServerJarProcess survivor : List.of(b, c)) {
                    String job = Http.get(survivor.uri("/jobs/" + id)).body();
                    assertThat(stringField(job, "status")).as(job).isEqualTo("sent");
                }
            }
            assertThat(postgres.queryLong(jobs, "SELECT count(*) FROM email_jobs WHERE status <> 'sent'")).isZero();
            assertThat(postgres.queryLong(jobs, "SELECT count(*) FROM email_jobs WHERE claimed_by IS NOT NULL")).isZero();
        }
    }

    @Test
    void aRollingRestartLosesNoAcceptedJob() throws Exception {
        String jobs = postgres.newDatabase();
        List<ServerJarProcess> replicas = new ArrayList<>(List.of(replica(jobs, "async"), replica(jobs, "async"),
                replica(jobs, "async")));
        List<String> ids = new ArrayList<>();
        try {
            for (int round = 0; round < replicas.size(); round++) {
                ids.addAll(acceptRoundRobin(replicas, 100));
                // Drain one (SIGTERM: it delivers or releases what it holds) and start its replacement.
                ServerJarProcess old = replicas.get(round);
                List<ServerJarProcess> others = replicas.stream().filter(r -> r != old).toList();
                CompletableFuture<List<String>> during = CompletableFuture.supplyAsync(() -> acceptRoundRobin(others, 100));
                old.signal("TERM");
                assertThat(old.awaitExit(Duration.ofSeconds(60))).isZero();
                old.close();
                replicas.set(round, replica(jobs, "async"));
                ids.addAll(join(during));
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(deliveriesByMessageId().keySet()).containsAll(messageIds(ids)));
            assertThat(deliveriesByMessageId().values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
        } finally {
            for (ServerJarProcess r : replicas) {
                r.close();
            }
        }
    }

    /** Posts {@code count} jobs across the replicas, concurrently; every one must be accepted (202). */
    private static List<String> acceptRoundRobin(List<ServerJarProcess> replicas, int count) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                URI target = replicas.get(i % replicas.size()).uri("/email");
                posts.add(client.sendAsync(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"to\": \"user" + i + "@example.com\", \"subject\": \"job " + i + "\", \"body\": \"hello\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            return posts.stream().map(BoundedJoin::join).map(r -> {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                return stringField(r.body(), "id");
            }).toList();
        }
    }

    private Map<String, Long> deliveriesByMessageId() {
        return Arrays.stream(mail.getReceivedMessages()).map(SmtpDeliveryTest::messageIdOf)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static List<String> messageIds(List<String> ids) {
        return ids.stream().map(id -> "<" + id + "@asyncprod.local>").toList();
    }
}
