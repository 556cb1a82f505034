package dev.asyncprod.server.store;

import dev.asyncprod.server.email.StoreUnavailableException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of named threads for a store's blocking JDBC calls, with a bounded queue: a call
 * that finds the queue full fails at once with {@link StoreUnavailableException} (503) rather than
 * waiting in an unbounded line. Futures complete on these threads with what the call threw, as thrown.
 */
final class StoreExecutor implements AutoCloseable {

    private final ThreadPoolExecutor threads;
    private final int maxQueued;

    StoreExecutor(String name, int size, int maxQueued) {
        AtomicInteger n = new AtomicInteger();
        this.maxQueued = maxQueued;
        this.threads = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueued),
                r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    <T> CompletableFuture<T> submit(Call<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(threads.isShutdown() ? e
                    : new StoreUnavailableException("the job store has " + maxQueued + " queries waiting; retry later", 1));
        }
        return result;
    }

    /** Calls waiting for a thread. */
    int queued() {
        return threads.getQueue().size();
    }

    /** Lets the calls already handed over finish (for a few seconds at most), then stops. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
