package dev.asyncprod.server.exec;

import dev.asyncprod.server.endpoints.BlockingContext;
import dev.asyncprod.server.endpoints.Endpoint;
import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the blocking body on a thread of its own: a bounded platform-thread pool ({@code blocking})
 * or a virtual thread per request ({@code virtual}). One class, because the two differ only in the
 * executor and in how a body's child tasks run.
 */
final class ThreadedModel implements ExecutionModel {

    private final String name;
    private final ExecutorService executor;
    private final boolean childrenInline;
    private final ThreadPoolExecutor pool; // null for virtual threads
    private final AtomicInteger submitted; // accepted and not yet settled: queued + running
    private final int queueCapacity;

    private ThreadedModel(String name, ExecutorService executor, boolean childrenInline, AtomicInteger submitted,
                          int queueCapacity) {
        this.name = name;
        this.executor = executor;
        this.childrenInline = childrenInline;
        this.pool = executor instanceof ThreadPoolExecutor tpe ? tpe : null;
        this.submitted = submitted;
        this.queueCapacity = queueCapacity;
    }

    /** Tomcat's minSpareThreads: threads kept even when idle. */
    static final int SPARE_THREADS = 10;
    /** Tomcat's maxIdleTime: a thread above the spares that has been idle this long ends. */
    static final long IDLE_SECONDS = 60;

    static ThreadedModel platformPool(int threads, int queueCapacity) {
        return platformPool(threads, queueCapacity, Duration.ofSeconds(IDLE_SECONDS));
    }

    /** @param idle how long a thread above the spares may stay idle before it ends */
    static ThreadedModel platformPool(int threads, int queueCapacity, Duration idle) {
        AtomicInteger submitted = new AtomicInteger();
        GrowFirstQueue queue = new GrowFirstQueue(queueCapacity, submitted);
        AtomicInteger ids = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.min(SPARE_THREADS, threads), threads, idle.toNanos(),
                TimeUnit.NANOSECONDS, queue, r -> new Thread(r, "blocking-" + ids.incrementAndGet()),
                queue.queueOrReject()); // full queue: reject, the caller answers 503
        queue.attach(pool);
        // Children run inline: naive thread-per-request code waits for each call in turn.
        return new ThreadedModel("blocking", pool, true, submitted, queueCapacity);
    }

    static ThreadedModel virtualThreads() {
        ExecutorService perTask = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("virtual-", 1).factory());
        return new ThreadedModel("virtual", perTask, false, new AtomicInteger(), 0);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <P> CompletableFuture<Response> execute(Endpoint<P> endpoint, P params, Request request, EventLoop eventLoop) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        Context ctx = new Context(request);
        submitted.incrementAndGet(); // before the hand-off: the queue reads it to decide whether to grow
        // Settled once, however the request ends: answered, failed, rejected, or cancelled while it
        // waited in the queue, where its body never runs.
        result.whenComplete((response, failure) -> submitted.decrementAndGet());
        try {
            Future<?> task = executor.submit(LogContext.capture(() -> {
                try {
                    result.complete(endpoint.handleBlocking(params, ctx));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }));
            // Not wanted any more: take it off the queue, or interrupt the thread blocked in it.
            request.cancellation().onCancel(() -> {
                task.cancel(true);
                result.cancel(false);
            });
        } catch (Throwable rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }

    @Override
    public String describe() {
        return pool != null
                ? pool.getMaximumPoolSize() + " platform threads, queue of " + queueCapacity
                : "a new virtual thread per request";
    }

    @Override
    public void addFacts(Json facts) {
        if (pool != null) {
            facts.put("blocking_threads", pool.getMaximumPoolSize())
                    .put("blocking_queue", queueCapacity)
                    .put("blocking_pool_size", pool.getPoolSize())
                    .put("blocking_active", pool.getActiveCount())
                    .put("blocking_queued", pool.getQueue().size());
        } else {
            facts.put("blocking_threads", 0).put("virtual_running", submitted.get());
        }
    }

    @Override
    public Map<String, Supplier<Number>> gauges() {
        if (pool == null) {
            return Map.of("running", submitted::get, "in_progress", submitted::get);
        }
        return Map.of("threads", pool::getPoolSize, "active", pool::getActiveCount,
                "queued", () -> pool.getQueue().size(), "max_threads", pool::getMaximumPoolSize,
                "in_progress", submitted::get);
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    private final class Context implements BlockingContext {
        private final Request request;

        Context(Request request) {
            this.request = request;
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public String mode() {
            return name;
        }

        @Override
        public <T> Future<T> fork(Callable<T> task) {
            if (childrenInline) {
                FutureTask<T> inline = new FutureTask<>(LogContext.capture(task));
                if (request.cancellation().isCancelled()) {
                    inline.cancel(false); // the request is over: later children do not start
                    return inline;
                }
                inline.run();
                if (inline.state() == Future.State.FAILED && inline.exceptionNow() instanceof InterruptedException) {
                    Thread.currentThread().interrupt(); // FutureTask swallowed it; the caller must still see it
                }
                return inline;
            }
            Future<T> child = executor.submit(LogContext.capture(task));
            request.cancellation().onCancel(() -> child.cancel(true));
            return child;
        }
    }
}
