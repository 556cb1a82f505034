package dev.asyncprod.server.exec;

import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.Wait;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the blocking body on a thread of its own: a bounded platform-thread pool ({@code blocking}),
 * a virtual thread per request on the JDK's scheduler ({@code virtual}) or on the request's own
 * event loop ({@code virtual-loop}). One class, because they differ only in where a body runs
 * ({@link BodyThreads}) and in how its child tasks run.
 */
final class ThreadedModel implements ExecutionModel {

    private final String name;
    private final BodyThreads threads;
    private final boolean childrenInline;
    private final ThreadPoolExecutor pool; // null for virtual threads
    private final AtomicInteger submitted; // accepted and not yet settled: queued + running
    private final int queueCapacity;
    private final int capacity; // most requests accepted and not settled at once; beyond it, rejection (503)

    private ThreadedModel(String name, BodyThreads threads, boolean childrenInline, AtomicInteger submitted,
                          int queueCapacity, int capacity) {
        this.name = name;
        this.threads = threads;
        this.childrenInline = childrenInline;
        this.pool = threads instanceof BodyThreads.Pool p ? p.pool() : null;
        this.submitted = submitted;
        this.queueCapacity = queueCapacity;
        this.capacity = capacity;
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
        GrowFirstQueue queue = new GrowFirstQueue(submitted);
        AtomicInteger ids = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.min(SPARE_THREADS, threads), threads, idle.toNanos(),
                TimeUnit.NANOSECONDS, queue, r -> new Thread(r, "blocking-" + ids.incrementAndGet()),
                queue.queueAfterLostRace());
        queue.attach(pool);
        // Children run inline: naive thread-per-request code waits for each call in turn.
        return new ThreadedModel("blocking", new BodyThreads.Pool(pool), true, submitted, queueCapacity, threads + queueCapacity);
    }

    static ThreadedModel virtualThreads() {
        return new ThreadedModel("virtual", new BodyThreads.Virtual(), false, new AtomicInteger(), 0, Integer.MAX_VALUE);
    }

    /** @throws IllegalStateException when the JVM cannot carry a virtual thread on an event loop ({@link LoopCarriedThreads#open}) */
    static ThreadedModel loopCarried() {
        return new ThreadedModel("virtual-loop", LoopCarriedThreads.open(), false, new AtomicInteger(), 0,
                Integer.MAX_VALUE);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <P> CompletableFuture<Response> execute(Endpoint<P> endpoint, P params, Request request, EventLoop eventLoop) {
        // Counted before the hand-off: the queue reads it to decide whether to grow.
        if (submitted.incrementAndGet() > capacity) {
            submitted.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException("every thread is busy and the queue is full"));
        }
        CompletableFuture<Response> result = new CompletableFuture<>();
        Context ctx = new Context(request, eventLoop);
        Task task = request.task();
        task.mode(name);
        // Settled once, however the request ends: answered, failed, or cancelled while it waited in
        // the queue, where its body never runs.
        result.whenComplete((response, failure) -> submitted.decrementAndGet());
        try {
            FutureTask<Void> body = new FutureTask<>(LogContext.capture(request, () -> {
                try {
                    result.complete(task.call(() -> endpoint.handleBlocking(params, ctx)));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }), null);
            if (pool != null) {
                task.queued(Wait.queue("blocking pool queue", () -> ((GrowFirstQueue) pool.getQueue()).positionOf(body)));
            }
            threads.start(body, eventLoop);
            // Not wanted any more: take it off the queue, or interrupt the thread blocked in it.
            request.cancellation().onCancel(() -> {
                body.cancel(true);
                result.cancel(false);
            });
        } catch (Throwable rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }

    @Override
    public BackgroundWork background(String threadName, int concurrency) {
        // virtual-loop's too run on the JDK's scheduler: a delivery belongs to no connection, so to no loop.
        ExecutorService threads = pool != null
                ? Executors.newFixedThreadPool(concurrency, named(Thread.ofPlatform(), threadName))
                : Executors.newThreadPerTaskExecutor(named(Thread.ofVirtual(), threadName));
        return new Background(threads);
    }

    private static ThreadFactory named(Thread.Builder builder, String prefix) {
        return builder.name(prefix + "-", 1).factory();
    }

    @Override
    public boolean runsBlockingBodies() {
        return true;
    }

    @Override
    public String describe() {
        return pool != null ? pool.getMaximumPoolSize() + " platform threads, queue of " + queueCapacity
                : threads instanceof LoopCarriedThreads ? "a new virtual thread per request, carried by its event loop"
                : "a new virtual thread per request";
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("blocking_threads", pool != null ? pool.getMaximumPoolSize() : 0);
        if (pool != null) {
            facts.put("blocking_queue", queueCapacity);
        }
        return facts;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "in_progress", "Requests the model accepted and has not settled: queued and running",
                submitted::get);
        if (pool != null) {
            gauge(registry, "threads", "Platform threads in the pool, idle ones included", pool::getPoolSize);
            gauge(registry, "active", "Pool threads running a request", pool::getActiveCount);
            // Not the queue's size: a request cancelled while it waited leaves a dead entry there until a thread skips it.
            gauge(registry, "queued", "Requests waiting for a pool thread",
                    () -> Math.max(0, submitted.get() - pool.getActiveCount()));
        }
    }

    /** Strong references: Micrometer holds a gauge's object weakly, and these suppliers have no other owner. */
    private void gauge(MeterRegistry registry, String name, String help, Supplier<Number> value) {
        Gauge.builder("execution_pool_" + name, value, v -> v.get().doubleValue()).strongReference(true)
                .description(help).register(registry);
    }

    @Override
    public void close() {
        threads.shutdown();
    }

    /** Background work on threads of its own, in the blocking style. */
    private record Background(ExecutorService threads) implements BackgroundWork {

        @Override
        public <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> async, Callable<T> blocking) {
            CompletableFuture<T> result = new CompletableFuture<>();
            try {
                threads.execute(LogContext.capture(() -> {
                    try {
                        result.complete(blocking.call());
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                }));
            } catch (RuntimeException rejected) { // shut down
                result.completeExceptionally(rejected);
            }
            return result;
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }

    private final class Context implements BlockingContext {
        private final Request request;
        private final EventLoop loop;

        Context(Request request, EventLoop loop) {
            this.request = request;
            this.loop = loop;
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
            FutureTask<T> child = new FutureTask<>(LogContext.capture(task));
            threads.start(child, loop);
            request.cancellation().onCancel(() -> child.cancel(true));
            return child;
        }
    }
}
