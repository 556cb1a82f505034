package dev.asyncprod.server.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The server's running state as the transport and {@code /health} see it: the open connections,
 * the requests in flight, and whether a graceful drain has begun. Netty's own
 * {@code shutdownGracefully} closes channels at once, so waiting for in-flight requests is this
 * class's job. Its numbers are meters ({@code http_server_*}), which {@code /info} shows too.
 */
public final class Lifecycle implements MeterBinder {

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
    private volatile boolean shuttingDown;
    private volatile boolean draining;

    public RequestStats stats() {
        return stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("http_server_in_flight", this, Lifecycle::inFlight)
                .description("Requests received and not yet answered").register(registry);
        Gauge.builder("http_server_open_connections", this, Lifecycle::openConnections)
                .description("Client connections open now").register(registry);
        Gauge.builder("http_server_draining", this, l -> l.isShuttingDown() ? 1 : 0)
                .description("1 once a graceful shutdown has begun, else 0").register(registry);
        counter(registry, "rejected", "Requests answered 503 at once: over --max-inflight or the pool and its queue full",
                RequestStats::rejectedCount);
        counter(registry, "timed_out", "Requests answered 504 after --request-timeout", RequestStats::timedOutCount);
        counter(registry, "cancelled", "Requests whose client went away; their work was cancelled",
                RequestStats::cancelledCount);
        counter(registry, "refused_connections", "Connections closed at accept: over --max-connections",
                RequestStats::refusedConnectionCount);
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<RequestStats> count) {
        FunctionCounter.builder("http_server_" + name, stats, count).description(help).register(registry);
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

    /** True from the moment a graceful shutdown is asked for, before the drain itself (see {@link #beginShutdown}). */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * A graceful shutdown is asked for: from now on readiness and {@code /health} answer 503, so
     * load balancers stop sending new work, while the server goes on serving what still comes
     * (until {@link #drain}).
     */
    public void beginShutdown() {
        shuttingDown = true;
    }

    /**
     * Starts the drain (new answers say {@code Connection: close}, idle connections close) and waits
     * until no request is in flight or {@code timeout} passes. The caller stops accepting first.
     *
     * @return true if everything in flight finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        shuttingDown = true;
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
