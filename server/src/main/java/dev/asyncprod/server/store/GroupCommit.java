package dev.asyncprod.server.store;

import dev.asyncprod.server.email.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on one named thread: callers hand over writes without blocking (a lock-free offer
 * and an unpark, safe from an event loop); the thread takes every write waiting when it wakes, up
 * to {@code batch}, and hands them to the store to apply in one transaction, so one commit (one
 * fsync, one round trip) covers many requests. Bounded: past {@code maxPending} writes waiting,
 * a write is failed at once with {@link StoreUnavailableException} (the caller answers 503).
 *
 * @param <W> a write as the store describes it; it carries the future its caller waits on
 */
final class GroupCommit<W extends GroupCommit.Write> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** Writes per transaction: enough to amortise an fsync or a round trip, few enough to keep latency even. */
    static final int BATCH = 256;
    /** Writes waiting before callers are told the store is busy (they answer 503). */
    static final int MAX_PENDING = 20_000;

    /** A write handed over: whatever the store needs to apply it, and a way to fail its caller. */
    interface Write {
        void fail(Throwable failure);
    }

    /** Applies a batch in one transaction and settles every write in it, once durable or failed. */
    @FunctionalInterface
    interface Committer<W> {
        void commit(List<W> batch);
    }

    private final Committer<W> committer;
    private final int batch;
    private final int maxPending;
    private final String name;
    private final ConcurrentLinkedQueue<W> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread writer;
    private volatile boolean closing;

    /** A writer with the stores' limits: {@link #BATCH} writes a transaction, {@link #MAX_PENDING} waiting. */
    GroupCommit(String threadName, Committer<W> committer) {
        this(threadName, BATCH, MAX_PENDING, committer);
    }

    GroupCommit(String threadName, int batch, int maxPending, Committer<W> committer) {
        if (batch < 1 || maxPending < 1) {
            throw new IllegalArgumentException("expected at least 1 write a batch and 1 waiting, got batch " + batch
                    + ", maxPending " + maxPending);
        }
        this.committer = committer;
        this.batch = batch;
        this.maxPending = maxPending;
        this.name = threadName;
        this.writer = new Thread(this::run, threadName);
        this.writer.start();
    }

    /** Queues {@code write} for the next batch, or fails it at once if the store is closed or full. */
    void submit(W write) {
        if (closing) {
            write.fail(new RejectedExecutionException("the job store is closed"));
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            write.fail(new StoreUnavailableException("the job store has " + maxPending + " writes waiting; retry later", 1));
            return;
        }
        queue.offer(write);
        LockSupport.unpark(writer);
    }

    /** Writes handed over and not yet committed. */
    int pending() {
        return pending.get();
    }

    /** Why the writer cannot take work now, or null. */
    String unavailable() {
        if (closing || !writer.isAlive()) {
            return "the job store is closed";
        }
        int waiting = pending.get();
        return waiting >= maxPending ? waiting + " writes waiting for the store" : null;
    }

    private void run() {
        List<W> taken = new ArrayList<>(batch);
        while (true) {
            W next;
            while (taken.size() < batch && (next = queue.poll()) != null) {
                taken.add(next);
            }
            if (taken.isEmpty()) {
                if (closing) {
                    return;
                }
                LockSupport.park(this);
                continue;
            }
            try {
                committer.commit(taken);
            } catch (RuntimeException e) { // a committer's bug must not leave callers waiting forever
                log.error("{}: a batch failed unexpectedly", name, e);
                taken.forEach(w -> w.fail(e));
            }
            pending.addAndGet(-taken.size());
            taken.clear();
        }
    }

    /** Commits what was handed over, then stops; a write handed over later is refused, never left hanging. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        W late;
        while ((late = queue.poll()) != null) {
            late.fail(new RejectedExecutionException("the job store is closed"));
        }
    }
}
