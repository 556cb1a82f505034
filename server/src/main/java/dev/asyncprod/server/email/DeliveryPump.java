package dev.asyncprod.server.email;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves queued jobs from the store to the mailer, at most {@code concurrency} at once: the
 * transactional-outbox pattern, with the store as the only queue. So a crash loses nothing (what
 * was not sent is still in the store), a backlog costs disk rather than heap, and retries are
 * just jobs whose due time lies ahead.
 *
 * <p>Every decision runs on one thread, {@code email-pump}, so its state needs no locks; other
 * threads post to it through a lock-free inbox. It claims due jobs when woken (a new job, a
 * finished delivery) and on a periodic tick (retries coming due).
 */
public final class DeliveryPump implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPump.class);

    private final JobStore store;
    private final Function<Job, CompletableFuture<Job>> runner;
    private final int concurrency;
    private final long tickNanos;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeRequested = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong finished = new AtomicLong();
    private volatile boolean claiming = true;
    private volatile boolean lastClaimFoundAll; // the last claim took fewer than it had room for
    private volatile boolean stopped;
    private volatile boolean claimInProgress; // written by the pump thread only

    /**
     * @param runner one attempt at a claimed job, in the mode's style; completes with the stored outcome
     * @param tick   how often due retries are looked for without a wake-up
     */
    public DeliveryPump(JobStore store, Function<Job, CompletableFuture<Job>> runner, int concurrency, Duration tick) {
        this.store = store;
        this.runner = runner;
        this.concurrency = concurrency;
        this.tickNanos = tick.toNanos();
        this.thread = new Thread(this::run, "email-pump");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Something may be due now (a job was accepted). Non-blocking, callable from any thread. */
    public void wake() {
        wakeRequested.set(true);
        LockSupport.unpark(thread);
    }

    /** Deliveries running now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Attempts finished since start, whatever their outcome. */
    public long attemptsFinished() {
        return finished.get();
    }

    private void post(Runnable task) {
        inbox.offer(task);
        LockSupport.unpark(thread);
    }

    private void run() {
        long nextTick = System.nanoTime() + tickNanos;
        while (!stopped) {
            Runnable task;
            while ((task = inbox.poll()) != null) {
                task.run();
            }
            boolean tick = System.nanoTime() - nextTick >= 0;
            if (tick) {
                nextTick = System.nanoTime() + tickNanos;
            }
            if (wakeRequested.getAndSet(false) || tick) {
                claim();
            }
            if (inbox.isEmpty() && !wakeRequested.get()) {
                LockSupport.parkNanos(this, Math.max(0, nextTick - System.nanoTime()));
            }
        }
    }

    private void claim() {
        int room = concurrency - inFlight.get();
        if (!claiming || claimInProgress || room <= 0) {
            return;
        }
        claimInProgress = true;
        store.claimDue(room).whenComplete((jobs, failure) -> post(() -> claimed(jobs, failure, room)));
    }

    private void claimed(List<Job> jobs, Throwable failure, int room) {
        claimInProgress = false;
        if (failure != null) {
            log.warn("could not claim email jobs (next try on the next tick): {}", failure.toString());
            return;
        }
        lastClaimFoundAll = jobs.size() < room;
        for (Job job : jobs) {
            inFlight.incrementAndGet();
            CompletableFuture<Job> attempt;
            try {
                attempt = runner.apply(job);
            } catch (RuntimeException e) {
                attempt = CompletableFuture.failedFuture(e);
            }
            attempt.whenComplete((outcome, error) -> post(() -> attemptFinished(job, error)));
        }
        if (!lastClaimFoundAll) {
            wakeRequested.set(true); // the claim was full: more may be due
        }
    }

    private void attemptFinished(Job job, Throwable error) {
        inFlight.decrementAndGet();
        finished.incrementAndGet();
        if (error != null) {
            // The outcome could not be stored: the job stays "sending" and the next start sends it again.
            log.error("email job {}: delivery outcome not stored: {}", job.id(), error.toString());
        }
        wakeRequested.set(true);
    }

    /**
     * Graceful stop: keeps delivering until nothing is due and nothing is in flight, or until
     * {@code timeout}; then claims nothing more. Jobs not finished by then stay in the store, queued
     * (or {@code sending}, which the next start queues again).
     *
     * @return true if everything due was delivered in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lastClaimFoundAll = false;
        wake();
        while (System.nanoTime() < deadline && !(lastClaimFoundAll && inFlight.get() == 0 && !claimInProgress)) {
            TimeUnit.MILLISECONDS.sleep(10);
            wake();
        }
        claiming = false;
        while (System.nanoTime() < deadline && inFlight.get() > 0) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return inFlight.get() == 0 && lastClaimFoundAll;
    }

    @Override
    public void close() {
        claiming = false;
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
