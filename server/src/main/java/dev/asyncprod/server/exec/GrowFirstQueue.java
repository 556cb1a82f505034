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
 * {@code TaskQueue}. It does not bound itself: the pool's user admits work by its own count of
 * work accepted and not yet settled, so a request cancelled while it waits frees its place at
 * once, though its dead entry stays here until a thread skips it.
 */
final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {

    private final AtomicInteger submitted; // accepted and not yet settled, maintained by the pool's user
    private volatile ThreadPoolExecutor pool;

    GrowFirstQueue(AtomicInteger submitted) {
        this.submitted = submitted;
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
        return super.offer(task);
    }

    /** After a lost race to start a thread at the maximum: queue it. Only a pool shut down rejects. */
    RejectedExecutionHandler queueAfterLostRace() {
        return (task, executor) -> {
            if (executor.isShutdown() || !super.offer(task)) {
                throw new RejectedExecutionException("the pool is shut down");
            }
        };
    }

    /** Where {@code task} stands (1 is next), 0 when it is no longer queued: the task view reads it, never a serving loop. */
    int positionOf(Runnable task) {
        int position = 0;
        for (Runnable queued : this) {
            position++;
            if (queued == task) {
                return position;
            }
        }
        return 0;
    }
}
