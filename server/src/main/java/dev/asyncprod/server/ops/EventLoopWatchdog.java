package dev.asyncprod.server.ops;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocked-event-loop detector (asyncio's debug mode, Vert.x's BlockedThreadChecker). Each loop
 * runs a heartbeat at a fixed period and records how late it ran (the loop's lag). A watchdog
 * thread looks at the heartbeats: a loop whose heartbeat is overdue by more than the threshold is
 * blocked right now, and the WARN carries the stack of what is blocking it, taken while it blocks;
 * a block that goes on is reported again at twice, four times ... the threshold.
 */
public final class EventLoopWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoopWatchdog.class);

    private final long thresholdNanos;
    private final long periodNanos;
    private final List<Probe> probes = new ArrayList<>();
    private final List<ScheduledFuture<?>> heartbeats = new ArrayList<>();
    private final Thread watcher;
    private volatile boolean running = true;

    public EventLoopWatchdog(EventLoopGroup loops, Duration threshold) {
        this.thresholdNanos = threshold.toNanos();
        // A few beats per threshold: a stall is seen within a quarter of the threshold of crossing it.
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), thresholdNanos / 4);
        for (EventExecutor loop : loops) {
            Probe probe = new Probe(System.nanoTime());
            probes.add(probe);
            heartbeats.add(loop.scheduleAtFixedRate(probe::beat, periodNanos, periodNanos, TimeUnit.NANOSECONDS));
        }
        watcher = new Thread(this::watch, "loop-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The largest lag any loop showed since the last call, in milliseconds; resets it. */
    public double takeMaxLagMillis() {
        long max = 0;
        for (Probe p : probes) {
            max = Math.max(max, p.takeMaxLag());
        }
        return max / 1e6;
    }

    /** The most recent lag of each loop, in milliseconds. */
    public List<Double> lastLagMillis() {
        return probes.stream().map(p -> p.lastLagNanos / 1e6).toList();
    }

    private void watch() {
        while (running) {
            long now = System.nanoTime();
            for (Probe p : probes) {
                long overdue = now - p.lastBeatNanos - periodNanos;
                // Warn at 1x, 2x, 4x ... the threshold: a long block is reported with fresh stacks, not flooded.
                if (overdue > p.nextReportNanos && p.thread != null) {
                    p.nextReportNanos = overdue * 2;
                    log.warn("event loop {} blocked for {} ms (threshold {} ms); it is running:{}", p.thread.getName(),
                            TimeUnit.NANOSECONDS.toMillis(overdue + periodNanos), TimeUnit.NANOSECONDS.toMillis(thresholdNanos),
                            stack(p.thread));
                }
            }
            try {
                TimeUnit.NANOSECONDS.sleep(periodNanos);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String stack(Thread thread) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement frame : thread.getStackTrace()) {
            sb.append("\n\tat ").append(frame);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        running = false;
        watcher.interrupt();
        heartbeats.forEach(h -> h.cancel(false));
    }

    /** One loop's heartbeat. Written on the loop, read by the watcher. */
    private final class Probe {
        volatile Thread thread;
        volatile long lastBeatNanos;
        volatile long lastLagNanos;
        volatile long nextReportNanos = thresholdNanos;
        private long maxLagNanos;

        Probe(long start) {
            lastBeatNanos = start;
        }

        void beat() {
            long now = System.nanoTime();
            long lag = Math.max(0, now - lastBeatNanos - periodNanos);
            lastLagNanos = lag;
            synchronized (this) {
                maxLagNanos = Math.max(maxLagNanos, lag);
            }
            lastBeatNanos = now;
            thread = Thread.currentThread();
            nextReportNanos = thresholdNanos;
        }

        synchronized long takeMaxLag() {
            long max = maxLagNanos;
            maxLagNanos = 0;
            return max;
        }
    }
}
