package dev.asyncprod.load.gen;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP/1.1 connection's loop with the test as its server: what is written when, what each
 * outcome counts as, and how the connection is replaced and finishes.
 */
@Timeout(value = 60, unit = SECONDS)
class Http1LoopTest {

    private static final String GET = "GET /hello HTTP/1.1\r\nHost: test\r\n\r\n";
    private static final ByteBuf REQUEST = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(GET, US_ASCII));
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
    private static final long TIMEOUT = 10_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;

    private final EmbeddedConnections connections = new EmbeddedConnections();
    private final long now = System.nanoTime();
    private final RunWindow window = new RunWindow(now - MINUTE, now + MINUTE); // everything counts

    private LoadLoop<ByteBuf> loop(Recording recording, RunWindow window, Schedule schedule) {
        return Http1Wire.newLoop(connections.run(recording, window, TIMEOUT), connections.loop(), REQUEST, false, schedule);
    }

    private CompletableFuture<Void> start(LoadLoop<ByteBuf> loop) {
        CompletableFuture<Void> done = loop.start();
        connections.run();
        return done;
    }

    private static List<String> written(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            out.add(b.toString(US_ASCII));
        }
        return out;
    }

    private static void serverSends(EmbeddedChannel ch, String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, US_ASCII));
    }

    @Test
    void theClosedModelSendsOnConnectAndAgainOnEachAnswer() {
        Recording recording = new Recording(false);
        start(loop(recording, window, null));
        EmbeddedChannel ch = connections.last();
        assertThat(written(ch)).containsExactly(GET);

        serverSends(ch, OK);
        serverSends(ch, OK.substring(0, 20));
        assertThat(written(ch)).as("after the answer").containsExactly(GET);
        serverSends(ch, OK.substring(20)); // an answer split anywhere is one answer

        assertThat(written(ch)).containsExactly(GET);
        assertThat(recording.completed()).isEqualTo(2);
        assertThat(recording.statusCounts()).containsEntry(200, 2L);
        assertThat(recording.inFlightNow()).isEqualTo(1);
        assertThat(recording.errorsTotal()).isZero();
    }

    @Test
    void aConnectionCloseAnswerCountsAndTheNextRequestGoesOnANewConnection() {
        Recording recording = new Recording(false);
        start(loop(recording, window, null));
        EmbeddedChannel first = connections.last();
        written(first);

        serverSends(first, "HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        connections.run();

        assertThat(written(first)).isEmpty();
        assertThat(first.isOpen()).isFalse();
        assertThat(connections.attempts).hasSize(2);
        assertThat(written(connections.last())).containsExactly(GET);
        assertThat(recording.completed()).isEqualTo(1);
        assertThat(recording.errors(ErrorKind.STATUS)).isEqualTo(1);
        assertThat(recording.errors(ErrorKind.READ)).isZero();
    }

    @Test
    void aConnectionThatBreaksFailsItsRequestAsAReadErrorAndIsReplacedAtOnce() {
        Recording recording = new Recording(false);
        start(loop(recording, window, null));
        EmbeddedChannel first = connections.last();

        first.close();
        connections.run();

        assertThat(recording.errors(ErrorKind.READ)).isEqualTo(1);
        assertThat(connections.attempts).hasSize(2);
        assertThat(written(connections.last())).containsExactly(GET);
        assertThat(recording.inFlightNow()).isEqualTo(1);
    }

    @Test
    void bytesThatAreNotAnHttpAnswerBreakTheConnection() {
        Recording recording = new Recording(false);
        start(loop(recording, window, null));

        serverSends(connections.last(), "SSH-2.0-OpenSSH_9.6\r\n");
        connections.run();

        assertThat(recording.errors(ErrorKind.READ)).isEqualTo(1);
        assertThat(connections.attempts).hasSize(2);
    }

    @Test
    void aTimedOutRequestIsCountedOnceAndItsConnectionReplaced() {
        Recording recording = new Recording(false);
        LoadLoop<ByteBuf> loop = loop(recording, window, null);
        start(loop);
        EmbeddedChannel first = connections.last();

        loop.checkTimeout(System.nanoTime()); // not yet
        assertThat(recording.errorsTotal()).isZero();
        loop.checkTimeout(System.nanoTime() + TIMEOUT + 1);
        connections.run();

        assertThat(recording.errors(ErrorKind.TIMEOUT)).isEqualTo(1);
        assertThat(recording.errorsTotal()).as("not a read error too").isEqualTo(1);
        assertThat(first.isOpen()).isFalse();
        assertThat(written(connections.last())).containsExactly(GET);
    }

    @Test
    void afterATimeoutNothingIsSentOnTheClosingConnectionEvenIfItsCloseIsSlow() {
        Recording recording = new Recording(false);
        LoadLoop<ByteBuf> loop = loop(recording, window, null);
        start(loop);
        EmbeddedChannel first = connections.last();
        written(first);
        // As TLS does while its close_notify is flushed: the close is asked for, and completes later.
        HeldClose held = new HeldClose();
        first.pipeline().addFirst(held);

        loop.checkTimeout(System.nanoTime() + TIMEOUT + 1);
        connections.run();
        assertThat(written(first)).as("written on the closing connection").isEmpty();

        held.release();
        connections.run();
        assertThat(recording.errors(ErrorKind.TIMEOUT)).isEqualTo(1);
        assertThat(recording.errorsTotal()).as("not a read error too").isEqualTo(1);
        assertThat(written(connections.last())).containsExactly(GET);
    }

    /** Holds a close until told, as a TLS handler flushing its close_notify does. */
    private static final class HeldClose extends ChannelOutboundHandlerAdapter {
        private ChannelHandlerContext ctx;
        private ChannelPromise promise;

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            this.ctx = ctx;
            this.promise = promise;
        }

        void release() {
            ctx.close(promise);
        }
    }

    @Test
    void atTheEndTheRequestOutIsAwaitedButNotCountedThenTheLoopFinishes() {
        Recording recording = new Recording(false);
        LoadLoop<ByteBuf> loop = loop(recording, window, null);
        CompletableFuture<Void> done = start(loop);
        EmbeddedChannel ch = connections.last();
        written(ch);

        loop.stop();
        assertThat(done).as("waits for the answer").isNotDone();
        assertThat(ch.isOpen()).isTrue();
        serverSends(ch, OK);

        assertThat(done).isDone();
        assertThat(ch.isOpen()).isFalse();
        assertThat(written(ch)).as("nothing more sent").isEmpty();
        assertThat(recording.completed()).isZero();
        assertThat(recording.abandonedCount()).isEqualTo(1);
        assertThat(recording.inFlightNow()).isZero();
    }

    @Test
    void aRequestAbandonedAtTheEndThatTimesOutIsNotAnError() {
        Recording recording = new Recording(false);
        LoadLoop<ByteBuf> loop = loop(recording, window, null);
        CompletableFuture<Void> done = start(loop);

        loop.stop();
        loop.checkTimeout(System.nanoTime() + TIMEOUT + 1);
        connections.run();

        assertThat(done).isDone();
        assertThat(recording.errorsTotal()).isZero();
        assertThat(recording.abandonedCount()).isEqualTo(1);
        assertThat(connections.attempts).as("no new connection after the end").hasSize(1);
    }

    @Test
    void aLoopPastItsScheduleStaysConnectedAndIdleUntilTheEnd() {
        Recording recording = new Recording(true);
        // 0.01 req/s: one send at the start; the next intended one, 100 s on, is past the end.
        LoadLoop<ByteBuf> loop = loop(recording, window, new Schedule(now, 0, 1, 0.01));
        CompletableFuture<Void> done = start(loop);
        EmbeddedChannel ch = connections.last();
        assertThat(written(ch)).containsExactly(GET);

        serverSends(ch, OK);
        connections.advance(10_000);

        assertThat(recording.completed()).isEqualTo(1);
        assertThat(written(ch)).isEmpty();
        assertThat(done).as("the run is not over").isNotDone();
        assertThat(ch.isOpen()).isTrue();
        loop.stop();
        assertThat(done).isDone();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void theOpenModelSendsAtTheScheduledTimeNotOnTheAnswer() {
        Recording recording = new Recording(true);
        LoadLoop<ByteBuf> loop = loop(recording, window, new Schedule(now, 0, 1, 10)); // every 100 ms
        start(loop);
        EmbeddedChannel ch = connections.last();
        written(ch);

        serverSends(ch, OK);
        assertThat(written(ch)).as("before its time").isEmpty();
        connections.advance(100);

        assertThat(written(ch)).containsExactly(GET);
        assertThat(recording.completed()).isEqualTo(1);
    }

    @Test
    void theRunEndingWhileConnectingFinishesAtOnceAndClosesTheLateConnection() {
        Recording recording = new Recording(false);
        LoadLoop<ByteBuf> loop = loop(recording, window, null);
        connections.holdNext();
        CompletableFuture<Void> done = start(loop);

        loop.stop();
        assertThat(done).isDone();
        connections.held.remove().setSuccess();
        connections.run();

        assertThat(connections.last().isOpen()).isFalse();
        assertThat(written(connections.last())).isEmpty();
    }

    @Test
    void aLoopThatCannotConnectWhenTheRunIsOverGivesUp() {
        Recording recording = new Recording(false);
        connections.refuseNext(1);

        CompletableFuture<Void> done = start(loop(recording, new RunWindow(now - 2 * MINUTE, now - 1), null));

        assertThat(done).isDone();
        assertThat(recording.errors(ErrorKind.CONNECT)).isEqualTo(1);
        assertThat(connections.attempts).hasSize(1);
    }
}
