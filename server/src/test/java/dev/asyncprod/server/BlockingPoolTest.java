package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
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

/** The blocking baseline is bounded: threads, then a queue, then a fast 503 that says when to retry. */
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
                assertThat(longField(info, "blocking_active")).isEqualTo(2);
                assertThat(longField(info, "blocking_queued")).isEqualTo(2);
            });

            HttpResponse<String> rejected = Http.get(server.uri(Mode.BLOCKING, "/sleep?ms=1"));
            assertThat(rejected.statusCode()).isEqualTo(503);
            assertThat(rejected.headers().firstValue("retry-after")).hasValue("1");
            assertThat(stringField(rejected.body(), "error")).isEqualTo("overloaded");
            assertThat(Http.get(server.uri(Mode.BLOCKING, "/health")).statusCode()).isEqualTo(200);

            assertThat(holding).allSatisfy(h -> assertThat(h.join().statusCode()).isEqualTo(200));
            assertThat(Http.get(server.uri(Mode.BLOCKING, "/sleep?ms=1")).statusCode()).isEqualTo(200);
        }
    }
}
