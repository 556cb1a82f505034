package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one reconnect policy: what is counted, when it tries again, and when it gives up. */
@Timeout(value = 60, unit = SECONDS)
class ReconnectTest {

    private static final long MINUTE = 60_000_000_000L;
    private static final ChannelInitializer<Channel> NO_HANDLERS = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
        }
    };

    private final EmbeddedConnections connections = new EmbeddedConnections();
    private final Recording recording = new Recording(false);
    private final Owner owner = new Owner();

    /** Stands in for the loop: notes what it is told. */
    private static final class Owner implements Reconnect.Owner {
        final List<Channel> opened = new ArrayList<>();
        int gaveUp;
        boolean stopped;

        @Override
        public boolean stopped() {
            return stopped;
        }

        @Override
        public void opened(Channel channel) {
            opened.add(channel);
        }

        @Override
        public void gaveUp() {
            gaveUp++;
        }
    }

    private Reconnect reconnect(RunWindow window, Function<Channel, String> refusal) {
        return new Reconnect(connections.template().group(connections.loop()).handler(NO_HANDLERS),
                InetSocketAddress.createUnresolved("127.0.0.1", 1), connections.loop(), recording, window, refusal, owner);
    }

    private static RunWindow measuring() {
        long now = System.nanoTime();
        return new RunWindow(now - MINUTE, now + MINUTE);
    }

    @Test
    void aReadyConnectionGoesToItsOwner() {
        reconnect(measuring(), ch -> null).open();
        connections.run();

        assertThat(owner.opened).containsExactly(connections.last());
        assertThat(recording.errorsTotal()).isZero();
    }

    @Test
    void aFailedConnectIsCountedAndTriedAgainAfter100ms() {
        connections.refuseNext(1);

        reconnect(measuring(), ch -> null).open();
        connections.run();
        assertThat(recording.errors(ErrorKind.CONNECT)).isEqualTo(1);
        assertThat(connections.attempts).hasSize(1);
        connections.advance(Reconnect.RETRY_DELAY_MS - 1);
        assertThat(connections.attempts).as("not before 100 ms").hasSize(1);
        connections.advance(1);

        assertThat(connections.attempts).hasSize(2);
        assertThat(owner.opened).containsExactly(connections.last());
        assertThat(owner.gaveUp).isZero();
    }

    @Test
    void failuresInTheWarmUpAreTriedAgainButNotCounted() {
        long now = System.nanoTime();
        connections.refuseNext(1);

        reconnect(new RunWindow(now + MINUTE, now + 2 * MINUTE), ch -> null).open();
        connections.run();
        connections.advance(Reconnect.RETRY_DELAY_MS);

        assertThat(recording.errorsTotal()).isZero();
        assertThat(owner.opened).hasSize(1);
    }

    @Test
    void aConnectionItCannotUseIsATlsFailureWithItsReasonClosedAndTriedAgain() {
        List<String> reasons = new ArrayList<>(List.of("the server does not speak HTTP/2 (ALPN gave http/1.1)"));

        reconnect(measuring(), ch -> reasons.isEmpty() ? null : reasons.remove(0)).open();
        connections.run();
        assertThat(connections.last().isOpen()).isFalse();
        connections.advance(Reconnect.RETRY_DELAY_MS);

        assertThat(recording.errors(ErrorKind.TLS)).isEqualTo(1);
        assertThat(recording.firstTlsFailure()).isEqualTo("the server does not speak HTTP/2 (ALPN gave http/1.1)");
        assertThat(owner.opened).containsExactly(connections.last());
    }

    @Test
    void aConnectionThatClosedIsReplacedAtOnce() {
        reconnect(measuring(), ch -> null).replace();
        connections.run();

        assertThat(owner.opened).hasSize(1);
    }

    @Test
    void nothingIsOpenedOnceTheRunIsOver() {
        long now = System.nanoTime();
        Reconnect over = reconnect(new RunWindow(now - 2 * MINUTE, now - MINUTE), ch -> null);

        over.replace();
        connections.run();
        assertThat(connections.attempts).isEmpty();
        assertThat(owner.gaveUp).isEqualTo(1);
    }

    @Test
    void aFailureOnceTheOwnerStoppedIsNotTriedAgain() {
        Reconnect r = reconnect(measuring(), ch -> null);
        owner.stopped = true;

        r.open();
        connections.run();
        assertThat(connections.attempts).as("a stopped owner gets no connection").isEmpty();
        owner.stopped = false;
        connections.holdNext();
        r.open();
        connections.run();
        owner.stopped = true;
        connections.held.remove().setFailure(new ConnectException("refused (test)"));
        connections.advance(Reconnect.RETRY_DELAY_MS);

        assertThat(connections.attempts).hasSize(1);
        assertThat(owner.gaveUp).isEqualTo(2);
    }

    @Test
    void aConnectionThatCompletesAfterTheStopIsClosed() {
        Reconnect r = reconnect(measuring(), ch -> null);
        connections.holdNext();

        r.open();
        connections.run();
        owner.stopped = true; // the run ended while connecting
        connections.held.remove().setSuccess();

        assertThat(owner.opened).isEmpty();
        assertThat(connections.last().isOpen()).isFalse();
    }
}
