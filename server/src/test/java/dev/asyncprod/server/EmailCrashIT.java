package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.asyncprod.base.testing.BoundedJoin;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerProcess;
import dev.asyncprod.server.support.SlowMailServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing accepted is lost: 500 jobs are accepted, the server process dies mid-delivery (kill -9,
 * or a SIGTERM whose shutdown timeout is too short to send them all), and a new process on the
 * same data directory delivers the rest. Every job arrives at least once, none more than twice
 * (the one in flight at the crash may be sent again, with the same Message-ID), none stays queued.
 */
class EmailCrashIT {

    static final int JOBS = 500;

    @RegisterExtension
    final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @BeforeEach
    void slowMailServer() {
        // 40 ms per message over 4 connections: about 100 a second, so the crash lands mid-delivery.
        SlowMailServer.delayEachMessage(mail, Duration.ofMillis(40));
    }

    @Test
    void killNineMidDeliveryLosesNoAcceptedJob() throws Exception {
        Path data = Files.createTempDirectory("asyncprod-crash-");
        List<String> ids;
        try (ServerJarProcess first = start(data)) {
            ids = acceptJobs(first);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> mail.getReceivedMessages().length >= 100);
            first.signal("KILL");
            first.awaitExit(Duration.ofSeconds(30));
        }
        assertThat(mail.getReceivedMessages().length).as("delivered before the crash").isLessThan(JOBS);

        restartAndAssertEveryJobDelivered(data, ids);
    }

    @Test
    void sigtermWithTooShortATimeoutLeavesTheRestQueuedForTheNextStart() throws Exception {
        Path data = Files.createTempDirectory("asyncprod-drain-");
        List<String> ids;
        try (ServerJarProcess first = start(data, "--shutdown-timeout=1s")) {
            ids = acceptJobs(first);
            first.signal("TERM");
            assertThat(first.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(first.output()).anyMatch(line -> line.contains("stay queued for the next start"));
        }
        assertThat(mail.getReceivedMessages().length).as("delivered before the restart").isLessThan(JOBS);

        restartAndAssertEveryJobDelivered(data, ids);
    }

    private ServerJarProcess start(Path data, String... more) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--data-dir=" + data, "--smtp=127.0.0.1:" + mail.getSmtp().getPort(),
                "--smtp-connections=4", "--email-concurrency=8", "--log-level=info"));
        flags.addAll(List.of(more));
        return ServerProcess.start(flags.toArray(String[]::new));
    }

    /** Posts the jobs concurrently; each must be accepted (202) with an id. */
    private static List<String> acceptJobs(ServerJarProcess server) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                posts.add(client.sendAsync(HttpRequest.newBuilder(server.uri("/email"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"to\": \"user" + i + "@example.com\", \"subject\": \"job " + i + "\", \"body\": \"hello\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            return posts.stream().map(BoundedJoin::join).map(r -> {
                assertThat(r.statusCode()).isEqualTo(202);
                return stringField(r.body(), "id");
            }).toList();
        }
    }

    private void restartAndAssertEveryJobDelivered(Path data, List<String> ids) throws Exception {
        try (ServerJarProcess second = start(data)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(deliveriesByMessageId().keySet()).containsAll(messageIds(ids)));

            Map<String, Long> copies = deliveriesByMessageId();
            assertThat(copies.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
            System.out.printf("%d jobs delivered; %d twice; restart said: %s%n", copies.size(),
                    copies.values().stream().filter(n -> n == 2).count(),
                    second.output().stream().filter(l -> l.contains("requeued")).findFirst().orElse("nothing requeued"));
            for (String id : ids) {
                String job = Http.get(second.uri("/jobs/" + id)).body();
                assertThat(stringField(job, "status")).as(job).isEqualTo("sent");
            }
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
