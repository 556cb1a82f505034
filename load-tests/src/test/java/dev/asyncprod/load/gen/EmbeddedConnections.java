package dev.asyncprod.load.gen;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The connections a loop opens, as {@link EmbeddedChannel}s registered on one embedded event loop
 * that the test's own thread runs: a connect succeeds at once unless the test refuses it or holds
 * it, and the test plays the server on each channel (reads what was written, writes answers in).
 * Timers on that loop (the reconnect delay, the open model's sends) follow its own clock, moved by
 * {@link #advance}; the slots themselves read {@link System#nanoTime()}.
 */
final class EmbeddedConnections {

    private final EmbeddedChannel clock = new EmbeddedChannel(); // owns the event loop the others join
    /** Every connection made, in order, refused ones included. */
    final List<EmbeddedChannel> attempts = new ArrayList<>();
    /** Connects held by {@link #holdNext()}, for the test to complete. */
    final Deque<ChannelPromise> held = new ArrayDeque<>();
    private int refuse;
    private int hold;

    EmbeddedConnections() {
        clock.freezeTime(); // the loop's clock moves only when the test says
    }

    EventLoop loop() {
        return clock.eventLoop();
    }

    /** Connects by making a channel on {@link #loop()}; no name resolution (the embedded loop cannot host a resolver). */
    Bootstrap template() {
        return new Bootstrap().disableResolver().channelFactory(() -> {
            EmbeddedChannel ch = EmbeddedChannel.builder().register(false).handlers(new Connect()).build();
            attempts.add(ch);
            return ch;
        });
    }

    RunSetup run(Recording recording, RunWindow window, long timeoutNanos) {
        return new RunSetup(template(), "127.0.0.1", 1, null, recording, window, timeoutNanos);
    }

    /** The next {@code n} connects fail, as a refused TCP connect does. */
    void refuseNext(int n) {
        refuse = n;
    }

    /** The next connect waits in {@link #held} until the test completes it. */
    void holdNext() {
        hold = 1;
    }

    EmbeddedChannel last() {
        return attempts.get(attempts.size() - 1);
    }

    /** Connections that were made and are still open. */
    List<EmbeddedChannel> open() {
        return attempts.stream().filter(EmbeddedChannel::isOpen).toList();
    }

    /** Runs what is queued on the loop, and what that queues in turn. */
    void run() {
        do {
            clock.runPendingTasks();
        } while (clock.hasPendingTasks());
    }

    /** Moves the loop's clock on and runs the timers that came due. */
    void advance(long millis) {
        clock.advanceTimeBy(millis, MILLISECONDS);
        run();
    }

    /** Nearest the wire: decides how each connect ends. */
    private final class Connect extends ChannelOutboundHandlerAdapter {
        @Override
        public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise)
                throws Exception {
            if (refuse > 0) {
                refuse--;
                promise.setFailure(new ConnectException("Connection refused (test)"));
            } else if (hold > 0) {
                hold--;
                held.add(promise);
            } else {
                super.connect(ctx, remote, local, promise);
            }
        }
    }
}
