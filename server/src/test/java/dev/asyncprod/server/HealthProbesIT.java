package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.RawConnection;
import dev.asyncprod.server.support.ServerProcess;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Liveness and readiness as an orchestrator sees them through a graceful shutdown with
 * {@code --drain-delay}: on SIGTERM readiness turns 503 at once while the server still accepts
 * and answers new connections for the delay, then the drain refuses them; liveness stays 200 until
 * the process exits 0.
 */
class HealthProbesIT {

    @Test
    void readinessTurnsFirstWhileTheListenerStillAcceptsForTheDrainDelay() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--drain-delay=3s", "--log-level=warn")) {
            HttpResponse<String> ready = Http.get(server.uri("/health/ready"));
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(stringField(ready.body(), "status")).isEqualTo("UP");
            assertThat(ready.body()).contains("\"accepting\":\"UP\"", "\"job_store\":\"UP\"");
            assertThat(Http.get(server.uri("/health/live")).statusCode()).isEqualTo(200);

            server.signal("TERM");

            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
                HttpResponse<String> notReady = Http.get(server.uri("/health/ready"));
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(stringField(notReady.body(), "status")).isEqualTo("DOWN");
                assertThat(notReady.body()).contains("\"accepting\":\"shutting down\"");
            });
            // Still accepting during the delay: a new connection is served, and kept alive (the drain has not begun).
            try (RawConnection late = new RawConnection(server.port())) {
                RawConnection.RawResponse hello = late.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertThat(hello.status()).isEqualTo(200);
                assertThat(hello.headers()).doesNotContainKey("connection");
            }
            assertThat(Http.get(server.uri("/health/live")).statusCode()).as("alive while draining").isEqualTo(200);
            assertThat(Http.get(server.uri("/health")).statusCode()).as("/health as before: DRAINING").isEqualTo(503);

            // After the delay the drain starts: the listener closes, the process exits 0.
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(ConnectException.class));
            assertThat(server.awaitExit(Duration.ofSeconds(20))).as("exit code").isZero();
        }
    }
}
