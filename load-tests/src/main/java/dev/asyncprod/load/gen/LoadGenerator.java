package dev.asyncprod.load.gen;

import dev.asyncprod.base.HttpUris;
import dev.asyncprod.client.ClientTls;
import dev.asyncprod.base.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link LoadSpec}: opens the connections on {@code threads} event loops and lets them run
 * for the warm-up and then the measured duration; only requests sent in the measured window are
 * recorded. At the end each loop stops its connections, which wait for (but do not record)
 * answers still in flight. A reporter thread
 * takes interval histograms once a second for the progress line and the interval log.
 * Memory stays flat however long the run: histograms are fixed-size and recycled.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    static {
        // The generator's own buffers are all released by the decoder's handler; sampled leak tracking
        // would tax every read of a tool that exists to be fast (wrk has none).
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    public static LoadResult run(LoadSpec spec, IntervalListener listener) throws InterruptedException {
        return run(spec, listener, WindowListener.NONE);
    }

    /** As {@link #run(LoadSpec, IntervalListener)}, telling {@code window} when the measured window opens and closes. */
    public static LoadResult run(LoadSpec spec, IntervalListener listener, WindowListener window) throws InterruptedException {
        NettyTransport transport = NettyTransport.select(NettyTransport.Kind.AUTO);
        EventLoopGroup group = transport.newGroup(spec.threads(), "load");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-reporter");
            t.setDaemon(true);
            return t;
        });
        ByteBuf request = Unpooled.unreleasableBuffer(encodeRequest(spec));
        Recording recording = new Recording(spec.openModel());
        Histogram serviceTotal = new Histogram(3);
        Histogram responseTotal = new Histogram(3);
        Intervals intervals = new Intervals(recording, serviceTotal, responseTotal, listener);
        try {
            Bootstrap template = new Bootstrap()
                    .channel(transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, spec.timeout().toMillis()));
            long start = System.nanoTime();
            long measureFrom = start + spec.warmup().toNanos();
            long end = measureFrom + spec.duration().toNanos();
            long[] jitBefore = {jitMillis()};
            long[] startEpochMs = {System.currentTimeMillis()};
            // The warm-up is the first part of this run, on the same connections and code paths, so the
            // JIT's work carries over; the measured window starts where it ends.
            long warmupMs = spec.warmup().toMillis();
            ticker.schedule(() -> {
                jitBefore[0] = jitMillis();
                startEpochMs[0] = System.currentTimeMillis();
                intervals.begin(measureFrom);
            }, warmupMs, TimeUnit.MILLISECONDS);
            ticker.scheduleAtFixedRate(intervals::tick, warmupMs + 1000, 1000, TimeUnit.MILLISECONDS);
            // On the window's own clock, not the warm-up's length from now: a reading of the server at
            // each edge then covers the requests the window counts.
            ticker.schedule(window::opened, measureFrom - System.nanoTime(), TimeUnit.NANOSECONDS);
            ScheduledFuture<?> closed = ticker.schedule(window::closed, end - System.nanoTime(), TimeUnit.NANOSECONDS);

            List<LoadLoop<?>> connections = new ArrayList<>(spec.connections());
            List<CompletableFuture<Void>> done = new ArrayList<>(spec.connections());
            SslContext tls = spec.secure() ? spec.tls().newContext(spec.http2() ? ClientTls.h2() : ClientTls.http11()) : null;
            RunSetup run = new RunSetup(template, spec.url().getHost(), spec.port(), tls, recording,
                    new RunWindow(measureFrom, end), spec.timeout().toNanos());
            Http2Request h2Request = spec.http2() ? Http2Request.of(spec) : null;
            for (int i = 0; i < spec.connections(); i++) {
                LoadLoop<?> c;
                if (spec.http2()) {
                    Schedule[] schedules = new Schedule[spec.maxStreams()];
                    for (int s = 0; s < schedules.length; s++) {
                        schedules[s] = spec.openModel()
                                ? new Schedule(start, i * spec.maxStreams() + s, spec.concurrency(), spec.rate()) : null;
                    }
                    c = Http2Wire.newLoop(run, group.next(), h2Request, schedules);
                } else {
                    Schedule schedule = spec.openModel() ? new Schedule(start, i, spec.connections(), spec.rate()) : null;
                    c = Http1Wire.newLoop(run, group.next(), request, spec.method().equals("HEAD"), schedule);
                }
                connections.add(c);
                done.add(c.start());
            }
            Map<EventLoop, List<LoadLoop<?>>> byLoop = new IdentityHashMap<>();
            connections.forEach(c -> byLoop.computeIfAbsent(c.loop(), l -> new ArrayList<>()).add(c));
            List<ScheduledFuture<?>> sweepers = sweepTimeouts(byLoop, spec.timeout().toNanos());
            byLoop.forEach((loop, mine) -> loop.schedule(() -> mine.forEach(LoadLoop::stop),
                    end - System.nanoTime(), TimeUnit.NANOSECONDS));
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(warmupMs + spec.duration().toMillis() + spec.timeout().toMillis() + 30_000, TimeUnit.MILLISECONDS);
            sweepers.forEach(s -> s.cancel(false));
            awaitClosed(closed); // due at the end, which the loops have reached; what it read is there when run returns
            ticker.shutdown();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            intervals.tick(true); // the last partial second
            Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
            for (ErrorKind kind : ErrorKind.values()) {
                errors.put(kind, recording.errors(kind));
            }
            return new LoadResult(spec, startEpochMs[0], spec.duration().toNanos() / 1e9, recording.completed(), errors,
                    recording.missedScheduleCount(), recording.abandonedCount(), serviceTotal, responseTotal,
                    intervals.perSecond(), jitMillis() - jitBefore[0], recording.statusCounts(),
                    recording.firstTlsFailure());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("connections did not stop", e);
        } finally {
            ticker.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void awaitClosed(ScheduledFuture<?> closed) throws InterruptedException {
        try {
            closed.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the measured window's listener failed", e.getCause());
        }
    }

    /** Time this JVM's JIT has spent compiling, if the JVM says. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** One periodic timeout check per event loop, over that loop's connections. */
    private static List<ScheduledFuture<?>> sweepTimeouts(Map<EventLoop, List<LoadLoop<?>>> byLoop, long timeoutNanos) {
        long periodMs = Math.max(10, Math.min(100, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
        List<ScheduledFuture<?>> sweepers = new ArrayList<>();
        byLoop.forEach((loop, mine) -> sweepers.add(loop.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            mine.forEach(c -> c.checkTimeout(now));
        }, periodMs, periodMs, TimeUnit.MILLISECONDS)));
        return sweepers;
    }

    /** The request, encoded once; every send writes a duplicate of these bytes. */
    static ByteBuf encodeRequest(LoadSpec spec) {
        String target = HttpUris.targetOf(spec.url());
        int port = spec.url().getPort();
        StringBuilder head = new StringBuilder()
                .append(spec.method()).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(spec.url().getHost()).append(port == -1 ? "" : ":" + port).append("\r\n");
        if (spec.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("User-Agent"))) {
            head.append("User-Agent: asyncprod-load\r\n");
        }
        spec.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (spec.body().length > 0 || (!spec.method().equals("GET") && !spec.method().equals("HEAD"))) {
            head.append("Content-Length: ").append(spec.body().length).append("\r\n");
        }
        head.append("\r\n");
        // Direct, so the transport writes it as it is instead of copying it into a direct buffer per send.
        byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.directBuffer(bytes.length + spec.body().length).writeBytes(bytes).writeBytes(spec.body());
    }
}
