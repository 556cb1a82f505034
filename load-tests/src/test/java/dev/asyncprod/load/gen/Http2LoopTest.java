package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.client.ClientTls;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP/2 connection's loop against Netty's own server codec: each slot a stream, the server's
 * stream cap, resets, GOAWAY and timeouts, and the end of the run.
 */
@Timeout(value = 60, unit = SECONDS)
class Http2LoopTest {

    private static final long TIMEOUT = 10_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    private static final Http2Request REQUEST = Http2Request.of(new LoadSpec(URI.create("http://test/hello"), "GET", Map.of(),
            new byte[0], 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO, ClientTls.defaults(), true, 1));

    private final EmbeddedConnections connections = new EmbeddedConnections();
    private final Recording recording = new Recording(false);
    private LoadLoop<Http2Request> loop;
    private CompletableFuture<Void> done;

    /** Starts a closed-model loop of {@code streams} slots and the server's end of its connection. */
    private EmbeddedH2Server start(int streams, int serverCap) {
        long now = System.nanoTime();
        RunSetup run = connections.run(recording, new RunWindow(now - MINUTE, now + MINUTE), TIMEOUT);
        loop = Http2Wire.newLoop(run, connections.loop(), REQUEST, new Schedule[streams]);
        done = loop.start();
        connections.run();
        return new EmbeddedH2Server(connections.last(), serverCap);
    }

    @Test
    void eachSlotIsAStreamSentOnceTheServersSettingsAreIn() {
        EmbeddedH2Server server = start(3, 100);
        assertThat(server.streams).hasSize(3);

        List.copyOf(server.streams).forEach(s -> server.answer(s, 200));

        assertThat(recording.completed()).isEqualTo(3);
        assertThat(recording.statusCounts()).containsEntry(200, 3L);
        assertThat(server.streams).as("each slot sent again").hasSize(6);
        assertThat(recording.inFlightNow()).isEqualTo(3);
        assertThat(connections.attempts).hasSize(1);
    }

    @Test
    void streamsBeyondTheServersCapWaitForOneToEnd() {
        EmbeddedH2Server server = start(3, 1);
        assertThat(server.streams).hasSize(1);

        for (int i = 0; i < 6; i++) {
            server.answer(server.streams.get(i), 200);
            assertThat(server.open()).as("open at the server after answer " + i).isEqualTo(1);
        }

        assertThat(recording.completed()).isEqualTo(6);
        assertThat(recording.errorsTotal()).isZero();
    }

    @Test
    void theStatusComesWithTheHeadersAndTheEndMayComeWithTheBody() {
        EmbeddedH2Server server = start(1, 100);

        server.answerWithBody(server.streams.get(0), 503, "{\"status\":503}");

        assertThat(recording.statusCounts()).containsExactly(Map.entry(503, 1L));
        assertThat(recording.errors(ErrorKind.STATUS)).isEqualTo(1);
        assertThat(server.streams).hasSize(2);
    }

    @Test
    void aStreamTheServerResetsIsAReadErrorAndItsSlotGoesOnOnTheSameConnection() {
        EmbeddedH2Server server = start(1, 100);

        server.reset(server.streams.get(0));

        assertThat(recording.errors(ErrorKind.READ)).isEqualTo(1);
        assertThat(server.streams).hasSize(2);
        assertThat(connections.attempts).hasSize(1);
    }

    @Test
    void aTimedOutStreamIsResetAndItsSlotSendsAgainAtOnce() {
        EmbeddedH2Server server = start(1, 100);
        int first = server.streams.get(0).id();

        loop.checkTimeout(System.nanoTime() + TIMEOUT + 1);
        server.exchange(); // nothing comes back to the client: what it wrote must already be flushed

        assertThat(recording.errors(ErrorKind.TIMEOUT)).isEqualTo(1);
        assertThat(server.resets).containsExactly(first);
        assertThat(server.streams).as("the next request, on the same connection").hasSize(2);
        assertThat(connections.attempts).hasSize(1);
    }

    @Test
    void aGoAwayLetsTheOpenStreamsFinishThenTheConnectionIsReplaced() {
        EmbeddedH2Server server = start(2, 100);
        EmbeddedChannel first = connections.last();

        server.goAway();
        server.answer(server.streams.get(0), 200);
        assertThat(server.streams).as("no new stream after GOAWAY").hasSize(2);
        assertThat(first.isOpen()).isTrue();
        server.answer(server.streams.get(1), 200);
        connections.run();

        assertThat(recording.completed()).isEqualTo(2);
        assertThat(recording.errorsTotal()).isZero();
        assertThat(first.isOpen()).isFalse();
        assertThat(connections.attempts).hasSize(2);
    }

    @Test
    void atTheEndOpenStreamsAreAwaitedButNotCounted() {
        EmbeddedH2Server server = start(2, 100);

        loop.stop();
        server.answer(server.streams.get(0), 200);
        assertThat(done).isNotDone();
        server.answer(server.streams.get(1), 200);

        assertThat(done).isDone();
        assertThat(recording.completed()).isZero();
        assertThat(recording.abandonedCount()).isEqualTo(2);
        assertThat(server.streams).as("nothing sent after the end").hasSize(2);
        assertThat(connections.last().isOpen()).isFalse();
    }

    @Test
    void aConnectionThatBreaksFailsEveryOpenStreamAndIsReplaced() {
        start(3, 100);

        EmbeddedChannel broken = connections.last();
        broken.unsafe().close(broken.voidPromise()); // as the network does: under the codec, no GOAWAY, no waiting
        connections.run();

        assertThat(recording.errors(ErrorKind.READ)).isEqualTo(3);
        assertThat(recording.inFlightNow()).as("none yet: the new connection waits for the server's SETTINGS").isZero();
        assertThat(connections.attempts).hasSize(2);
        EmbeddedH2Server next = new EmbeddedH2Server(connections.last(), 100);
        assertThat(next.streams).hasSize(3);
    }
}
