package dev.asyncprod.server.exec;

import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Where a {@link ThreadedModel}'s bodies run. A task is a {@link java.util.concurrent.FutureTask},
 * so cancelling it takes it off a queue or interrupts the thread running it, whichever applies.
 */
interface BodyThreads {

    /**
     * Starts {@code task}.
     *
     * @param loop the event loop of the request's connection: the carrier where the threads are carried by it
     */
    void start(RunnableFuture<?> task, EventLoop loop);

    /** Starts no more; what runs is left to finish. */
    void shutdown();

    /** The blocking pool: a {@link ThreadPoolExecutor} with a {@link GrowFirstQueue}. */
    record Pool(ThreadPoolExecutor pool) implements BodyThreads {
        @Override
        public void start(RunnableFuture<?> task, EventLoop loop) {
            pool.execute(task);
        }

        @Override
        public void shutdown() {
            pool.shutdown();
        }
    }

    /**
     * A new virtual thread per task, on the JDK's scheduler, started here: the JDK's thread-per-task
     * executor would keep a set of its threads and a future of its own for each, work the model's
     * count already does.
     */
    final class Virtual implements BodyThreads {
        private final ThreadFactory factory = Thread.ofVirtual().name("virtual-", 1).factory();
        private volatile boolean shutdown;

        @Override
        public void start(RunnableFuture<?> task, EventLoop loop) {
            if (shutdown) {
                throw new RejectedExecutionException("the execution model is closed");
            }
            factory.newThread(task).start();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }
    }
}
