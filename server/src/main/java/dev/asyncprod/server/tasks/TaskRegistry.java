package dev.asyncprod.server.tasks;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every task in flight and the last finished ones: what {@code /debug/tasks} reads ("the event
 * loop obviously knows but the programmer doesn't"). Always on: registering a request is an
 * object, and a link in and out of its event loop's list ({@link LiveTasks}). The view walks it
 * on a thread of its own, never on a serving event loop; a sweep once a second flags tasks older
 * than the request timeout.
 */
public final class TaskRegistry implements MeterBinder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskRegistry.class);

    /** aiomonitor keeps 1,000 terminated tasks: enough to find the last seconds of a request's life. */
    public static final int DEFAULT_FINISHED = 1_000;

    private final LiveTasks live = new LiveTasks();
    private final FinishedRing finished;
    private final long blockedThresholdNanos;
    private final long stuckAfterNanos;
    private final Map<Lint, AtomicLong> lintCounts = new EnumMap<>(Lint.class);
    private final ScheduledExecutorService sweeper; // null when off
    private final boolean on;

    private TaskRegistry(int finishedCapacity, Duration blockedThreshold, Duration stuckAfter, boolean on) {
        this.on = on;
        this.finished = new FinishedRing(finishedCapacity);
        this.blockedThresholdNanos = blockedThreshold.toNanos();
        this.stuckAfterNanos = stuckAfter.toNanos();
        for (Lint lint : Lint.values()) {
            lintCounts.put(lint, new AtomicLong());
        }
        if (!on) {
            this.sweeper = null;
            return;
        }
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tasks-sweep");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * @param finishedCapacity finished root tasks kept for the view
     * @param blockedThreshold a callback that holds an event loop longer is linted {@link Lint#BLOCKED_LOOP}
     * @param stuckAfter       a task older than this (the request timeout) is linted {@link Lint#STUCK}
     */
    public static TaskRegistry create(int finishedCapacity, Duration blockedThreshold, Duration stuckAfter) {
        return new TaskRegistry(finishedCapacity, blockedThreshold, stuckAfter, true);
    }

    /**
     * A registry that registers nothing: every task is {@link Task#NONE}-like and the view is empty.
     * Only for measuring what the registry costs (the server's {@code -Dasyncprod.tasks=off}).
     */
    public static TaskRegistry off() {
        return new TaskRegistry(1, Duration.ofDays(1), Duration.ofDays(1), false);
    }

    public boolean isOn() {
        return on;
    }

    /** Makes a root ({@link Task#request}, {@link Task#background}) live; its children register as they start. */
    public Task register(Task root) {
        if (!on) {
            return root;
        }
        root.registry = this;
        live.addRoot(root);
        return root;
    }

    void add(Task child) {
        child.registry = this;
        live.add(child);
    }

    void finished(Task task) {
        live.remove(task);
        if (task.parent == null) {
            finished.add(task);
            for (Task child : task.children()) {
                if (child.state != TaskState.DONE) {
                    lint(child, Lint.ORPHAN); // its request was answered; nobody waits for it
                }
            }
        }
    }

    void lint(Task task, Lint lint) {
        if (task.flag(lint)) {
            lintCounts.get(lint).incrementAndGet();
            if (lint == Lint.PINNED) { // a blocked loop is the watchdog's to warn of, with its stack
                log.warn("{} stayed pinned to its carrier while it blocked", TaskNames.forLog(task));
            }
        }
    }

    long blockedThresholdNanos() {
        return blockedThresholdNanos;
    }

    /**
     * The task running on {@code thread}: its own, or a virtual thread {@code thread} carries now
     * (virtual-loop mode's bodies run on virtual threads carried by the event loops).
     */
    public Optional<Task> runningOn(Thread thread) {
        for (Task t : live.snapshot()) {
            Thread th = t.thread;
            if (th != null && t.state == TaskState.RUNNING
                    && (th == thread || th.isVirtual() && thread.getName().equals(TaskThreads.carrier(th)))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * A blocked event loop: lints the task running on it and says which request it serves, for the
     * watchdog's line; with the stack of the virtual thread it carries, whose frames the loop's own lack.
     */
    public Optional<String> blockedBy(Thread loop) {
        return runningOn(loop).map(t -> {
            lint(t, Lint.BLOCKED_LOOP);
            Thread th = t.thread;
            if (th == loop) {
                return TaskNames.forLog(t);
            }
            StringBuilder carried = new StringBuilder(TaskNames.forLog(t)).append(" on ").append(th.getName())
                    .append(", the virtual thread it carries, at:");
            for (StackTraceElement frame : th.getStackTrace()) {
                carried.append("\n\tat ").append(frame);
            }
            return carried.toString();
        });
    }

    /** A virtual thread that stayed pinned to its carrier: lints the task running on it, if one is live. */
    public void pinned(long threadId) {
        for (Task t : live.snapshot()) {
            Thread th = t.thread;
            if (th != null && th.threadId() == threadId && t.state != TaskState.DONE) {
                lint(t, Lint.PINNED);
                return;
            }
        }
        lintCounts.get(Lint.PINNED).incrementAndGet(); // its task had finished: still counted
    }

    /** A snapshot of the live set (any order). */
    List<Task> live() {
        return live.snapshot();
    }

    /** The finished roots, newest first. */
    List<Task> finishedNewestFirst() {
        return finished.newestFirst();
    }

    int finishedCapacity() {
        return finished.capacity();
    }

    long stuckAfterNanos() {
        return stuckAfterNanos;
    }

    /**
     * A task by id: a live one, else one the view still shows (a finished child of a live task, or
     * a finished root in the ring, or a child of one).
     */
    Optional<Task> find(long id) {
        List<Task> now = live.snapshot();
        for (Task t : now) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        for (Task t : now) {
            Optional<Task> found = findUnder(t, id);
            if (found.isPresent()) {
                return found;
            }
        }
        for (Task root : finished.newestFirst()) {
            Optional<Task> found = root.id == id ? Optional.of(root) : findUnder(root, id);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Task> findUnder(Task task, long id) {
        for (Task child : task.children()) {
            if (child.id == id) {
                return Optional.of(child);
            }
            Optional<Task> deeper = findUnder(child, id);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        return Optional.empty();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Task t : live.snapshot()) {
            if (now - t.startNanos > stuckAfterNanos && t.kind != TaskKind.DELIVERY) {
                lint(t, Lint.STUCK);
            }
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tasks_live", live, LiveTasks::size).description("Tasks in flight: requests, their children, deliveries")
                .register(registry);
        for (Lint lint : Lint.values()) {
            AtomicLong count = lintCounts.get(lint);
            // A FunctionCounter reads the count we keep; lints are rare, the view wants the number without Micrometer.
            FunctionCounter.builder("tasks_lints", count, AtomicLong::doubleValue)
                    .tag("lint", lint.label()).description("Tasks flagged with a lint (see /debug/tasks)").register(registry);
        }
    }

    /** The lints counted so far, by label. */
    Map<String, Long> lintCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        lintCounts.forEach((lint, n) -> out.put(lint.label(), n.get()));
        return out;
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
