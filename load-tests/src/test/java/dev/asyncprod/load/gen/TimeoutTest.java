package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.client.ClientTls;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request that times out is counted once and its slot goes on: over HTTP/1.1 on a new connection,
 * over HTTP/2 on a new stream of the same one. (HTTP/2 used to leave that next request unflushed, so
 * with {@code -m 1} it never reached the server and every later request timed out too.)
 */
@Timeout(value = 60, unit = SECONDS)
class TimeoutTest {

    @Test
    void afterATimeoutAnHttp11SlotGoesOnOnANewConnection() throws Exception {
        try (TestServer server = TestServer.ignoringTheFirstRequest(false)) {
            assertOneTimeoutThenAnswers(server, false);
        }
    }

    @Test
    void afterATimeoutAnHttp2SlotGoesOnOnANewStream() throws Exception {
        try (TestServer server = TestServer.ignoringTheFirstRequest(true)) {
            assertOneTimeoutThenAnswers(server, true);
        }
    }

    private static void assertOneTimeoutThenAnswers(TestServer server, boolean http2) throws Exception {
        LoadSpec spec = new LoadSpec(server.uri("/hello"), "GET", Map.of(), new byte[0], 1, 1, Duration.ofSeconds(3),
                Duration.ofSeconds(1), 0, Duration.ZERO, ClientTls.defaults(), http2, 1);

        LoadResult result = LoadGenerator.run(spec, IntervalListener.NONE);

        assertThat(result.errors().get(ErrorKind.TIMEOUT)).as("timeouts").isEqualTo(1);
        assertThat(result.errorsTotal()).isEqualTo(1);
        assertThat(result.requests()).as("answers after the timeout").isGreaterThan(10);
    }
}
