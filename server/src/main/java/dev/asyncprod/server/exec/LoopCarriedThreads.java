package dev.asyncprod.server.exec;

import io.netty.channel.EventLoop;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * A virtual thread per task whose carrier is the request's own event loop ({@code virtual-loop}):
 * the body is written in the blocking style, but it runs, and its answer is written, on the loop
 * that read the request; no carrier pool, no hand-off to another core. While the thread waits it is
 * unmounted and the loop serves its other connections; while it computes, that loop serves nothing
 * else, so a body that burns CPU or pins its carrier (a native frame, a class initialiser, file I/O)
 * stalls every connection of that loop, as a blocking call on an async loop does.
 *
 * <p>The JDK has no public API for a virtual thread's scheduler. Its builder has a constructor that
 * takes one ({@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}, JDK 21 to 25), which
 * needs {@value #ADD_OPENS}; TechEmpower's Netty "loom" entry and Micronaut's loom carrier mode use
 * the same door. {@link #open()} fails with one line naming the flag where the JDK refuses it.
 */
final class LoopCarriedThreads implements BodyThreads {

    static final String ADD_OPENS = "--add-opens java.base/java.lang=ALL-UNNAMED";
    private static final String BUILDER = "java.lang.ThreadBuilders$VirtualThreadBuilder";
    private static final String LOOP_PREFIX = "event-loop-"; // NettyTransport's names for the server's loops

    private final Constructor<?> builder;
    private final Map<EventLoop, ThreadFactory> perLoop = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    private LoopCarriedThreads(Constructor<?> builder) {
        this.builder = builder;
    }

    /** @throws IllegalStateException naming what the JVM lacks, when it cannot give a virtual thread a carrier of ours */
    static LoopCarriedThreads open() {
        Constructor<?> builder;
        try {
            builder = Class.forName(BUILDER).getDeclaredConstructor(Executor.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("--mode virtual-loop needs a JDK whose virtual threads take a scheduler ("
                    + BUILDER + "(Executor), JDK 21 to 25); this is " + Runtime.version());
        }
        try {
            builder.setAccessible(true);
        } catch (InaccessibleObjectException e) {
            throw new IllegalStateException("--mode virtual-loop needs the JVM flag " + ADD_OPENS
                    + " (java -jar server.jar and bin/java give it; add it where you start the JVM another way)");
        }
        return new LoopCarriedThreads(builder);
    }

    @Override
    public void start(RunnableFuture<?> task, EventLoop loop) {
        if (shutdown) {
            throw new RejectedExecutionException("the execution model is closed");
        }
        perLoop.computeIfAbsent(loop, this::factory).newThread(task).start();
    }

    /**
     * Threads named after their carrier: {@code event-loop-2} carries {@code virtual-loop-2-1}, {@code -2}, ...
     * Called by the first {@link #start} on {@code loop}, which runs on that loop's own thread.
     */
    private ThreadFactory factory(EventLoop loop) {
        String carrier = Thread.currentThread().getName();
        String number = carrier.startsWith(LOOP_PREFIX) ? carrier.substring(LOOP_PREFIX.length()) : "0"; // 0: the warm-up's
        try {
            Thread.Builder.OfVirtual virtual = (Thread.Builder.OfVirtual) builder.newInstance((Executor) loop::execute);
            return virtual.name("virtual-loop-" + number + "-", 1).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a virtual thread carried by " + loop, e);
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }
}
