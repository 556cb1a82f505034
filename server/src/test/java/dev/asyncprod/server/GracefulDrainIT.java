package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.longAt;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.RawConnection.RawResponse;
import dev.asyncprod.server.support.RawConnection;
import dev.asyncprod.server.support.ServerProcess;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGTERM starts a drain: with 200 requests in flight, every one of them is answered 200, new
 * connections are refused, answers on open connections say DRAINING and close, and the process
 * exits 0 soon after the last answer. In every mode.
 */
class GracefulDrainIT {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void sigtermLetsEveryRequestInFlightFinishThenExitsZero(Mode mode) throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=" + mode.label(), "--log-level=warn");
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             RawConnection busy = new RawConnection(server.port())) {
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            HttpRequest sleep = HttpRequest.newBuilder(server.uri("/sleep?ms=2000")).timeout(Duration.ofSeconds(60)).build();
            for (int i = 0; i < 200; i++) {
                inFlight.add(client.sendAsync(sleep, HttpResponse.BodyHandlers.ofString()));
            }
            busy.send("GET /sleep?ms=2000 HTTP/1.1\r\nHost: t\r\n\r\n");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(longAt(Http.get(server.uri("/info")).body(), "http_server", "in_flight")).isGreaterThanOrEqualTo(201));

            server.signal("TERM");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(ConnectException.class));
            // A request pipelined behind one in flight is still answered: /health says DRAINING, and the connection closes.
            busy.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(busy.read().status()).isEqualTo(200);
            RawResponse health = busy.read();
            assertThat(health.status()).isEqualTo(503);
            assertThat(stringField(health.body(), "status")).isEqualTo("DRAINING");
            assertThat(health.headers()).containsEntry("connection", "close");

            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(inFlight).allSatisfy(f -> assertThat(join(f).statusCode()).isEqualTo(200));
            assertThat(server.awaitExit(Duration.ofSeconds(10))).as("exit code").isZero();
        }
    }
}
