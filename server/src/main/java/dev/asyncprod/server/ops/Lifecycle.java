package dev.asyncprod.server.ops;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's running state as the transport and {@code /health} see it: the open connections,
 * the requests in flight, and whether a graceful drain has begun. Netty's own
 * {@code shutdownGracefully} closes channels at once, so waiting for in-flight requests is this
 * class's job.
 */
public final class Lifecycle {

    /** Told to every open connection when the drain starts: close if idle, else after the answer in flight. */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final RequestStats stats = new RequestStats();
    private volatile boolean draining;

    public RequestStats stats() {
        return stats;
    }

    public void connectionOpened(Channel channel) {
        connections.add(channel); // removed by the group itself when the channel closes
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int openConnections() {
        return connections.size();
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Starts the drain (new answers say {@code Connection: close}, idle connections close) and waits
     * until no request is in flight or {@code timeout} passes. The caller stops accepting first.
     *
     * @return true if everything in flight finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        for (Channel c : connections) {
            c.pipeline().fireUserEventTriggered(DRAIN); // runs on each channel's own event loop
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return inFlight.get() == 0;
    }
}
