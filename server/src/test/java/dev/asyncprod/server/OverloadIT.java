package dev.asyncprod.server;

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
import org.junit.jupiter.api.Test;

/**
 * Ten times the blocking pool's capacity of slow requests: the excess gets fast 503s, threads and
 * memory do not grow with the load, /health answers throughout, and the server recovers; twice,
 * to show nothing accumulates.
 */
class OverloadIT {

    private static final int THREADS = 20;
    private static final int QUEUE = 20;
    private static final int LOAD = 10 * (THREADS + QUEUE);

    @Test
    void overloadIsShedFastWithoutGrowthAndTheServerRecovers() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=blocking", "--log-level=warn",
                "--blocking-threads=" + THREADS, "--blocking-queue=" + QUEUE);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .connectTimeout(Duration.ofSeconds(30)).build()) {
            long threadsAfterFirst;
            long rssAfterFirst;
            try {
                wave(server, client); // warms up: pool threads, JIT, buffers
                threadsAfterFirst = server.status().threads();
                rssAfterFirst = server.status().rssKb();
                wave(server, client);
            } catch (AssertionError e) {
                server.output().forEach(System.out::println); // the server's side of a failure (watchdog stacks)
                throw e;
            }

            assertThat(server.status().threads()).as("threads after a second wave").isLessThanOrEqualTo(threadsAfterFirst + 4);
            assertThat(server.status().rssKb() - rssAfterFirst).as("RSS growth in KiB over a second wave").isLessThan(64 * 1024);
        }
    }

    private static void wave(ServerJarProcess server, HttpClient client) throws Exception {
        HttpRequest slow = HttpRequest.newBuilder(server.uri("/sleep?ms=2000")).timeout(Duration.ofSeconds(60)).build();
        List<CompletableFuture<long[]>> answers = new ArrayList<>(LOAD); // [status, millis]
        for (int i = 0; i < LOAD; i++) {
            long sent = System.nanoTime();
            answers.add(client.sendAsync(slow, HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> new long[] {r.statusCode(), (System.nanoTime() - sent) / 1_000_000}));
        }
        // While the pool is full, the server still answers its health check.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.get(server.uri("/health")).statusCode()).isEqualTo(200));
        assertThat(server.status().threads()).as("threads under overload").isLessThan(THREADS + 60);

        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<long[]> results = answers.stream().map(BoundedJoin::join).toList();
        long ok = results.stream().filter(r -> r[0] == 200).count();
        List<long[]> shed = results.stream().filter(r -> r[0] == 503).toList();
        assertThat(ok + shed.size()).as("every request got 200 or 503").isEqualTo(LOAD);
        assertThat(ok).as("the pool and its queue were used").isGreaterThanOrEqualTo(THREADS + QUEUE);
        assertThat(shed).as("the excess was shed").hasSizeGreaterThanOrEqualTo(LOAD / 2);
        // Shed at once, not after waiting for a thread (a served request takes at least 2 s here).
        assertThat(shed).allSatisfy(r -> assertThat(r[1]).as("ms to a 503").isLessThan(1500));
        assertThat(Http.get(server.uri("/sleep?ms=1")).statusCode()).as("recovered").isEqualTo(200);
    }

}
