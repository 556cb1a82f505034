package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.longAt;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static dev.asyncprod.server.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.RawConnection;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The blocking baseline is bounded: threads, then a queue, then a fast 503 that says when to
 * retry; and what it counts as in progress comes down however a request ends.
 */
class BlockingPoolTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.of(Mode.BLOCKING, "--blocking-threads=2", "--blocking-queue=2");

    @Test
    void fullPoolAndQueueAnswer503WithRetryAfterWhileHealthStillAnswers() {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> holding = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // 2 running + 2 queued
                holding.add(client.sendAsync(HttpRequest.newBuilder(server.uri(Mode.BLOCKING, "/sleep?ms=1500")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String info = Http.get(server.uri(Mode.BLOCKING, "/info")).body();
                assertThat(longAt(info, "execution_pool", "active")).isEqualTo(2);
                assertThat(longAt(info, "execution_pool", "queued")).isEqualTo(2);
            });

            HttpResponse<String> rejected = Http.get(server.uri(Mode.BLOCKING, "/sleep?ms=1"));
            assertThat(rejected.statusCode()).isEqualTo(503);
            assertThat(rejected.headers().firstValue("retry-after")).hasValue("1");
            assertThat(stringField(rejected.body(), "error")).isEqualTo("overloaded");
            assertProblem(rejected, 503, "overloaded");
            assertThat(Http.get(server.uri(Mode.BLOCKING, "/health")).statusCode()).isEqualTo(200);

            assertThat(holding).allSatisfy(h -> assertThat(join(h).statusCode()).isEqualTo(200));
            assertThat(Http.get(server.uri(Mode.BLOCKING, "/sleep?ms=1")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void requestsWhoseClientsLeftWhileQueuedStopCountingAndFreeTheirPlaces() throws Exception {
        List<RawConnection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) { // the first two hold both threads, the next two wait in the queue
                clients.add(new RawConnection(server.port(Mode.BLOCKING)).send("GET /sleep?ms=2000 HTTP/1.1\r\nHost: t\r\n\r\n"));
                int sent = i + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> inProgress() == sent);
            }
            clients.get(2).close();
            clients.get(3).close();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inProgress()).isEqualTo(2));
            for (int i = 0; i < 2; i++) {
                clients.add(new RawConnection(server.port(Mode.BLOCKING)).send("GET /sleep?ms=1 HTTP/1.1\r\nHost: t\r\n\r\n"));
            }
            for (RawConnection c : clients.subList(4, 6)) {
                assertThat(c.read().status()).as("queued in the places the cancelled requests left").isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(inProgress()).isZero());
            assertThat(Http.get(server.uri(Mode.BLOCKING, "/metrics")).body())
                    .contains("execution_pool_in_progress{mode=\"blocking\"} 0.0");
        } finally {
            for (RawConnection c : clients) {
                c.close();
            }
        }
    }

    private static long inProgress() {
        return longAt(Http.get(server.uri(Mode.BLOCKING, "/info")).body(), "execution_pool", "in_progress");
    }
}
