package dev.asyncprod.server.exec;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work queue of a pool that behaves like Tomcat's: it adds threads up to the maximum before
 * it queues (a plain {@link ThreadPoolExecutor} queues first and grows only when the queue is
 * full), keeps a few threads spare, and queues only when every thread is busy. The idea is Tomcat's
 * {@code TaskQueue}; the bound is this project's.
 */
final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {

    private final AtomicInteger submitted; // queued + running, maintained by the pool's user
    private final boolean mayQueue;
    private volatile ThreadPoolExecutor pool;

    GrowFirstQueue(int capacity, AtomicInteger submitted) {
        super(Math.max(1, capacity));
        this.submitted = submitted;
        this.mayQueue = capacity > 0;
    }

    void attach(ThreadPoolExecutor pool) {
        this.pool = pool;
    }

    @Override
    public boolean offer(Runnable task) {
        ThreadPoolExecutor p = pool;
        if (p.getPoolSize() < p.getMaximumPoolSize() && submitted.get() > p.getPoolSize()) {
            return false; // no idle thread and room for another: make the pool start one
        }
        return mayQueue && super.offer(task);
    }

    /** After a lost race to start a thread at the maximum, queue if there is room; else reject (503). */
    RejectedExecutionHandler queueOrReject() {
        return (task, executor) -> {
            if (executor.isShutdown() || !mayQueue || !super.offer(task)) {
                throw new RejectedExecutionException("pool and queue full");
            }
        };
    }
}
