package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.ClientOptions;
import dev.asyncprod.client.ClientRequest;
import dev.asyncprod.client.ClientResponse;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.ServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A graceful shutdown with HTTP/2 clients: SIGTERM sends GOAWAY on every HTTP/2 connection, the
 * streams already open finish with their answers, and the process exits 0 once they have.
 */
class Http2DrainIT {

    @Test
    void streamsInFlightFinishAfterGoawayAndTheProcessExitsZero() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--log-level=warn");
             AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withHttp2(true))) {
            URI sleep = URI.create("http://127.0.0.1:" + server.port() + "/sleep?ms=2000");
            List<CompletableFuture<ClientResponse>> inFlight = IntStream.range(0, 10)
                    .mapToObj(i -> client.send(ClientRequest.get(sleep).build())).toList();
            await().atMost(Duration.ofSeconds(10)).until(() -> metricsInFlight(server) >= 10);

            server.signal("TERM");

            for (CompletableFuture<ClientResponse> answer : inFlight) {
                ClientResponse r = answer.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyAsString()).contains("\"slept_ms\":2000");
            }
            assertThat(client.connectionsOpened()).as("ten streams on one connection").isEqualTo(1);
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as("exit code").isZero();
        }
    }

    /** Requests in flight as the server counts them, asked over HTTP/1.1 so as not to be one of them. */
    private static double metricsInFlight(ServerJarProcess server) throws Exception {
        try (AsyncHttpClient http1 = AsyncHttpClient.create()) {
            String metrics = http1.send(ClientRequest.get(server.uri("/metrics")).build()).get(10, TimeUnit.SECONDS).bodyAsString();
            return metrics.lines().filter(l -> l.startsWith("http_server_in_flight"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
        }
    }
}
