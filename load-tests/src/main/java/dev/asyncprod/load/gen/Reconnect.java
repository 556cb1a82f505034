package dev.asyncprod.load.gen;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The reconnect policy, one for both protocols: a connection that closes while the run goes on
 * (broken, timed out, {@code Connection: close}, GOAWAY) is replaced at once; a failed attempt
 * (refused, TLS handshake, a protocol the server did not agree to) is counted from the measured
 * window on and tried again after {@link #RETRY_DELAY_MS}. Nothing is opened once the run is over
 * or the owner has stopped: the owner is told it has given up instead. On the owner's event loop.
 */
final class Reconnect {

    static final long RETRY_DELAY_MS = 100;

    /** Whom the connections are for. */
    interface Owner {
        boolean stopped();

        /** A connection is up and ready (TLS handshake done): it carries requests from now on. */
        void opened(Channel channel);

        /** No connection will be opened any more: the run is over, or the owner stopped. */
        void gaveUp();
    }

    private final Bootstrap bootstrap;
    private final SocketAddress remote;
    private final EventLoop loop;
    private final Recording recording;
    private final RunWindow window;
    private final Function<Channel, String> refusal;
    private final Owner owner;

    /**
     * @param bootstrap on {@code loop}, with the connection's handlers
     * @param refusal   why a ready connection cannot be used (HTTP/2: ALPN did not give h2), or null: a TLS failure
     */
    Reconnect(Bootstrap bootstrap, SocketAddress remote, EventLoop loop, Recording recording, RunWindow window,
              Function<Channel, String> refusal, Owner owner) {
        this.bootstrap = bootstrap;
        this.remote = remote;
        this.loop = loop;
        this.recording = recording;
        this.window = window;
        this.refusal = refusal;
        this.owner = owner;
    }

    /** Opens a connection now. */
    void open() {
        if (owner.stopped()) {
            owner.gaveUp();
            return;
        }
        bootstrap.connect(remote).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                if (window.begun(System.nanoTime())) {
                    recording.failed(ErrorKind.CONNECT);
                }
                retryLater();
                return;
            }
            if (owner.stopped()) {
                f.channel().close(); // the run ended while connecting
                return;
            }
            Handshake.whenReady(f.channel(), failure -> ready(f.channel(), failure));
        });
    }

    /** The connection that carried requests closed: another one at once, unless the run is over. */
    void replace() {
        if (!owner.stopped() && !window.over(System.nanoTime())) {
            open();
        } else {
            owner.gaveUp();
        }
    }

    private void ready(Channel channel, String handshakeFailure) {
        String failure = handshakeFailure != null ? handshakeFailure : refusal.apply(channel);
        if (failure != null) {
            if (window.begun(System.nanoTime())) {
                recording.tlsFailed(failure);
            }
            channel.close();
            retryLater();
        } else if (owner.stopped()) {
            channel.close();
        } else {
            owner.opened(channel);
        }
    }

    private void retryLater() {
        if (!owner.stopped() && !window.over(System.nanoTime())) {
            loop.schedule(this::open, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        } else {
            owner.gaveUp();
        }
    }
}
