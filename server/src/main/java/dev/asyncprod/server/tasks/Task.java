package dev.asyncprod.server.tasks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One unit of work the server can name while it runs: a request, a child it spawned (a sleeper, a
 * downstream call, a query, a commit) or a background delivery. A task knows who spawned it, what
 * it waits on, which thread it runs or last ran on, and how long it held a thread
 * ({@link TaskRegistry} is the live set). Any thread may write it; the view reads it from another.
 *
 * <p>Busy time is the time inside {@link #enter} brackets (async: each callback that held an
 * event loop) or inside {@link #call} minus its {@link #block} waits (blocking and virtual: the
 * body between the waits the server registered). CPU time is a platform thread's, read from the
 * JDK; a virtual thread has none to read (the JDK reports -1), so it is never invented.
 *
 * <p>{@link #NONE} is the task of work nobody registered (a health probe's query, a registry
 * switched off): every method on it does nothing, so callers never test for null.
 */
public final class Task {

    private static final AtomicLong IDS = new AtomicLong();
    static final ThreadLocal<Task> CURRENT = new ThreadLocal<>(); // the task the thread runs for now
    private static final VarHandle BUSY;

    static {
        try {
            BUSY = MethodHandles.lookup().findVarHandle(Task.class, "busyNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The task of unregistered work: does nothing. */
    public static final Task NONE = new Task(null, TaskKind.REQUEST, "none", null, null, 0);

    final long id;
    final Task parent;
    final TaskKind kind;
    private final String name; // null for a request: name() makes it when the view asks
    final RequestFacts request; // roots that are requests
    final String detail; // background roots: what they work on and who asked
    final long startNanos;
    volatile TaskRegistry registry; // null until registered, and for NONE
    volatile String mode;
    volatile TaskState state = TaskState.QUEUED;
    volatile Wait waitingOn;
    volatile Thread thread;
    volatile long runningSince; // 0 while not running
    private volatile long busyNanos;
    volatile long cpuNanos = -1; // a platform thread's CPU time in finished call()s; -1: none read
    volatile long cpuMark = -1; // the thread's CPU time when the call() running now began; -1: none running
    volatile int lints; // a bit per Lint
    volatile Outcome outcome;
    volatile CompletableFuture<?> future; // an async task's result, for the view's pending stages
    volatile long endNanos;
    private Children children; // guarded by this; null until the first child
    Task liveNext; // in its event loop's list of live roots (LiveTasks): written by that loop only
    Task livePrev;
    LiveTasks.LoopList liveOn;

    private Task(Task parent, TaskKind kind, String name, RequestFacts request, String detail, long startNanos) {
        this.id = IDS.incrementAndGet();
        this.parent = parent;
        this.kind = kind;
        this.name = name;
        this.request = request;
        this.detail = detail;
        this.startNanos = startNanos;
    }

    /** A request's root task, not yet live: {@link TaskRegistry#register} makes it so. */
    public static Task request(RequestFacts facts, long startNanos) {
        return new Task(null, TaskKind.REQUEST, null, facts, null, startNanos);
    }

    /** A background root, not yet live ({@link TaskRegistry#register}): {@code detail} says what it works on and for whom. */
    public static Task background(TaskKind kind, String name, String detail) {
        return new Task(null, kind, name, null, detail, System.nanoTime());
    }

    /** The task the current thread runs for, or {@link #NONE}. */
    public static Task current() {
        Task t = CURRENT.get();
        return t != null ? t : NONE;
    }

    public long id() {
        return id;
    }

    /** {@code GET /gather?ms=2000,5000} for a request, {@code task-2} or {@code call 3} for a child. */
    String name() {
        return request != null ? request.method() + " " + request.target() : name;
    }

    public boolean isTracked() {
        return registry != null;
    }

    /** The execution model running it: {@code async}, {@code blocking}, {@code virtual}. */
    public void mode(String name) {
        this.mode = name;
    }

    /** A child this task starts, live and {@code queued} until it runs or waits. */
    public Task child(TaskKind kind, String name) {
        TaskRegistry r = registry;
        if (r == null) {
            return NONE;
        }
        Task child = new Task(this, kind, name, null, null, System.nanoTime());
        child.mode = mode;
        synchronized (this) {
            if (children == null) {
                children = new Children();
            }
            children.add(child);
        }
        r.add(child);
        return child;
    }

    /**
     * Marks a callback of this task running on the current thread (an event loop) until the scope
     * closes: its time counts as busy, and a callback past the blocked threshold is linted ({@link LoopCallback}).
     */
    public Scope enter() {
        return registry == null || outcome != null ? Scope.NOTHING : LoopCallback.enter(this, System.nanoTime());
    }

    /** {@link #enter()} for a caller that has just read {@link System#nanoTime()}: one clock read fewer per request. */
    public Scope enter(long now) {
        return registry == null || outcome != null ? Scope.NOTHING : LoopCallback.enter(this, now);
    }

    /**
     * Runs {@code body} as this task on the current thread (a {@code blocking-N} or virtual thread):
     * busy between its {@link #block} waits, a platform thread's CPU time read around it
     * ({@link ThreadBody}). A child run by its parent's own thread shows the parent waiting on it.
     */
    public <T> T call(Callable<T> body) throws Exception {
        return registry == null ? body.call() : ThreadBody.call(this, body);
    }

    /** Runs a blocking {@code body} as this task, and finishes it with the outcome. */
    public <T> T callAndFinish(Callable<T> body) throws Exception {
        try {
            T result = call(body);
            finish(Outcome.ok());
            return result;
        } catch (Throwable t) {
            finish(Outcome.of(t));
            throw t;
        }
    }

    /**
     * The current thread blocks on {@code what} until the returned handle closes: the task is
     * {@code waiting} and its busy clock stops ({@link ThreadBody}).
     */
    public Waiting block(Wait what) {
        return registry == null ? Waiting.NOTHING : ThreadBody.block(this, what);
    }

    /** The current thread waits for this task's children ({@code Future.get} on each): waiting, its busy clock stopped. */
    public Waiting awaitChildren() {
        return block(now -> "its children (" + unfinishedChildren() + " not done)");
    }

    synchronized long unfinishedChildren() {
        return children == null ? 0 : children.unfinished();
    }

    /**
     * What this task waits on from now, without a thread: a timer, a downstream answer. Shown once
     * its current callback (if any) ends; {@code null} clears it.
     */
    public void awaiting(Wait what) {
        if (registry == null) {
            return;
        }
        waitingOn = what;
        if (state == TaskState.QUEUED) {
            state = TaskState.WAITING;
        }
    }

    /** The future that completes with this task's result: the view shows how many stages wait on it. */
    public void watch(CompletableFuture<?> result) {
        if (registry != null) {
            future = result;
        }
    }

    /** Not started yet, waiting for a thread: {@code what} says where it stands ({@link Wait#queue}). */
    public void queued(Wait what) {
        if (registry != null) {
            waitingOn = what;
        }
    }

    /** Ends the task once; a request's root leaves the live set for the finished ring. */
    public void finish(Outcome how) {
        finish(how, System.nanoTime());
    }

    /** {@link #finish(Outcome)} at {@code now}, a {@link System#nanoTime()} the caller has just read. */
    public void finish(Outcome how, long now) {
        TaskRegistry r = registry;
        if (r == null || outcome != null) {
            return;
        }
        synchronized (this) {
            if (outcome != null) {
                return;
            }
            outcome = how;
        }
        long since = runningSince;
        if (since != 0) {
            addBusy(Math.max(0, now - since)); // a callback may have begun after the caller read its clock
            runningSince = 0;
        }
        endNanos = now;
        waitingOn = null;
        state = TaskState.DONE;
        r.finished(this);
        if (parent != null) {
            parent.childFinished(this);
        }
    }

    /** {@code request 4f2a... GET /email (task #12)}: who this task works for, for a link from other work. */
    public String origin() {
        return TaskNames.origin(this);
    }

    void startRunning(long now) {
        runningSince = now;
        state = TaskState.RUNNING;
    }

    /** @return how long it ran since it started running */
    long stopRunning(long now, TaskState next) {
        long since = runningSince;
        long held = since == 0 ? 0 : now - since;
        if (since != 0) {
            addBusy(held);
            runningSince = 0;
        }
        if (state != TaskState.DONE) {
            state = next;
        }
        return held;
    }

    void addBusy(long nanos) {
        BUSY.getAndAdd(this, nanos);
    }

    /** Busy time so far, the running stretch included. */
    long busyNanos(long now) {
        long since = runningSince;
        return busyNanos + (since != 0 ? Math.max(0, now - since) : 0);
    }

    private synchronized void childFinished(Task child) {
        if (children != null && outcome == null) { // a finished parent keeps what it had for the ring
            children.finished(child);
        }
    }

    /** A copy of the children, for the view. */
    synchronized List<Task> children() {
        return children == null ? List.of() : children.copy();
    }

    /** Finished children no longer kept, for the view's count. */
    synchronized int childrenDropped() {
        return children == null ? 0 : children.dropped();
    }

    boolean has(Lint lint) {
        return (lints & (1 << lint.ordinal())) != 0;
    }

    /** Sets the lint; true the first time. */
    synchronized boolean flag(Lint lint) {
        if (has(lint)) {
            return false;
        }
        lints |= 1 << lint.ordinal();
        return true;
    }

    /** The end of a callback or a wait: restores what was before; never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        Scope NOTHING = () -> { };

        @Override
        void close();
    }

    /** The end of a wait; never throws. */
    @FunctionalInterface
    public interface Waiting extends AutoCloseable {
        Waiting NOTHING = () -> { };

        @Override
        void close();
    }
}
