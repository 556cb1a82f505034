package dev.asyncprod.server.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocked-event-loop detector (asyncio's debug mode, Vert.x's BlockedThreadChecker). Each loop
 * runs a heartbeat at a fixed period and records how late it ran (the loop's lag). A watchdog
 * thread looks at the heartbeats: a loop whose heartbeat is overdue by more than the threshold is
 * blocked right now, and the WARN carries the stack of what is blocking it, taken while it blocks;
 * a block that goes on is reported again at twice, four times ... the threshold. Each loop's last
 * lag and its queue of pending tasks are meters.
 */
public final class EventLoopWatchdog implements MeterBinder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoopWatchdog.class);

    /** The watcher never wakes more often than this, whatever the clocks say. */
    private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long thresholdNanos;
    private final Function<Thread, Optional<String>> blockedBy;
    private final long periodNanos;
    private final List<EventExecutor> loops = new ArrayList<>();
    private final List<Probe> probes = new ArrayList<>();
    private final List<ScheduledFuture<?>> heartbeats = new ArrayList<>();
    private final Thread watcher;
    private volatile boolean running = true;

    /** @param blockedBy which request a blocked loop is working for (the task view's answer), if it knows */
    public EventLoopWatchdog(EventLoopGroup loops, Duration threshold, Function<Thread, Optional<String>> blockedBy) {
        this.blockedBy = blockedBy;
        this.thresholdNanos = threshold.toNanos();
        // A few beats per threshold: a stall is seen within a quarter of the threshold of crossing it.
        this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), thresholdNanos / 4);
        for (EventExecutor loop : loops) {
            this.loops.add(loop);
            Probe probe = new Probe(System.nanoTime());
            probes.add(probe);
            heartbeats.add(loop.scheduleAtFixedRate(probe::beat, periodNanos, periodNanos, TimeUnit.NANOSECONDS));
        }
        watcher = new Thread(this::watch, "loop-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (int i = 0; i < probes.size(); i++) {
            Probe probe = probes.get(i);
            String loop = "event-loop-" + (i + 1);
            Gauge.builder("event_loop_lag_seconds", probe, p -> p.lastLagNanos / 1e9).tag("loop", loop)
                    .description("How late the loop's last heartbeat ran").register(registry);
            if (loops.get(i) instanceof SingleThreadEventExecutor single) {
                Gauge.builder("event_loop_pending_tasks", single, SingleThreadEventExecutor::pendingTasks).tag("loop", loop)
                        .description("Tasks waiting in the loop's queue").register(registry);
            }
        }
    }

    /** How long the quietest loop has gone without its heartbeat: a few ms while all run, seconds when one is stuck. */
    public Duration longestSilence() {
        long now = System.nanoTime();
        long longest = 0;
        for (Probe p : probes) {
            longest = Math.max(longest, now - p.lastBeatNanos);
        }
        return Duration.ofNanos(longest);
    }

    /**
     * Wakes when the next report could fall due, not every heartbeat: while the loops beat, that is
     * about once a threshold (10 times a second by default, not 40). A wake-up costs this machine
     * 50 to 150 µs of CPU, so the watcher's sleeps were a fixed tax on every request's share of CPU.
     */
    private void watch() {
        while (running) {
            long now = System.nanoTime();
            long nextDue = now + thresholdNanos; // also when a loop has not beaten yet
            for (Probe p : probes) {
                long overdue = now - p.lastBeatNanos - periodNanos;
                // Warn at 1x, 2x, 4x ... the threshold: a long block is reported with fresh stacks, not flooded.
                if (overdue > p.nextReportNanos && p.thread != null) {
                    p.nextReportNanos = overdue * 2;
                    Thread loop = p.thread;
                    log.warn("event loop {} blocked for {} ms (threshold {} ms) by {}; it is running:{}", loop.getName(),
                            TimeUnit.NANOSECONDS.toMillis(overdue + periodNanos), TimeUnit.NANOSECONDS.toMillis(thresholdNanos),
                            blockedBy.apply(loop).orElse("no task the server registered"), stack(loop));
                }
                if (p.thread != null) { // if it beats no more, its next report is due once overdue past nextReportNanos
                    nextDue = Math.min(nextDue, p.lastBeatNanos + periodNanos + p.nextReportNanos + 1);
                }
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(MIN_SLEEP_NANOS, nextDue - now));
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

        Probe(long start) {
            lastBeatNanos = start;
        }

        void beat() {
            long now = System.nanoTime();
            long lag = Math.max(0, now - lastBeatNanos - periodNanos);
            lastLagNanos = lag;
            lastBeatNanos = now;
            thread = Thread.currentThread();
            nextReportNanos = thresholdNanos;
        }
    }
}
