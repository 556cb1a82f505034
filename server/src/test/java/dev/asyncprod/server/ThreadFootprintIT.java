package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.longAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.base.testing.BoundedJoin;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The resource property, on thread counts rather than time: 2,000 sleeping requests in flight
 * cost the async server no threads, while the blocking server holds its whole pool and queues the rest.
 */
class ThreadFootprintIT {

    private static final int IN_FLIGHT = 2_000;

    private HttpClient client;

    @BeforeEach
    void newClient() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void asyncServerHoldsNoThreadPerWaitingRequest() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=async", "--log-level=warn")) {
            warmUp(server);
            long idleThreads = server.status().threads();

            List<CompletableFuture<HttpResponse<String>>> answers = fire(server, "/sleep?ms=1000");
            long peak = idleThreads;
            AtomicInteger done = new AtomicInteger();
            answers.forEach(a -> a.thenRun(done::incrementAndGet));
            while (done.get() < IN_FLIGHT) {
                peak = Math.max(peak, server.status().threads());
                Thread.sleep(20);
            }

            assertThat(answers).allSatisfy(a -> assertThat(join(a).statusCode()).isEqualTo(200));
            // A few JVM-internal threads (JIT compilers, GC helpers) may come and go; a thread per request may not.
            assertThat(peak).as("threads with %d requests in flight, %d when idle", IN_FLIGHT, idleThreads)
                    .isLessThanOrEqualTo(idleThreads + 8);
        }
    }

    @Test
    void blockingServerFillsItsPoolAndQueuesTheRest() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=blocking", "--blocking-threads=200", "--log-level=warn")) {
            warmUp(server);
            long idleThreads = server.status().threads();

            List<CompletableFuture<HttpResponse<String>>> answers = fire(server, "/sleep?ms=1000");

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                String info = Http.get(server.uri("/info")).body();
                assertThat(longAt(info, "execution_pool", "active")).isEqualTo(200);
                assertThat(longAt(info, "execution_pool", "queued")).isGreaterThan(0);
            });
            assertThat(server.status().threads()).as("one platform thread per running request, %d when idle", idleThreads)
                    .isGreaterThan(200);

            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            assertThat(answers).allSatisfy(a -> assertThat(join(a).statusCode()).isEqualTo(200));
        }
    }

    /** Starts every event loop (they start lazily) so the idle count includes them. */
    private void warmUp(ServerJarProcess server) {
        List<CompletableFuture<HttpResponse<String>>> warm = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            warm.add(client.sendAsync(HttpRequest.newBuilder(server.uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        warm.forEach(BoundedJoin::join);
    }

    private List<CompletableFuture<HttpResponse<String>>> fire(ServerJarProcess server, String path) {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>(IN_FLIGHT);
        HttpRequest request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(120)).build();
        for (int i = 0; i < IN_FLIGHT; i++) {
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        return answers;
    }
}
