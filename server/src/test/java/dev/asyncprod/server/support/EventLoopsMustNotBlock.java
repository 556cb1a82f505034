package dev.asyncprod.server.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound's rules for this suite (installed by blockhound-junit-platform for every test): the
 * server's event-loop threads ({@code event-loop-N}) and the async database driver's
 * ({@code vert.x-eventloop-thread-N}) must never block. Allowed:
 * <ul>
 *   <li>the blocking call made on purpose by {@code /debug/block};</li>
 *   <li>the blocking and virtual modes' hand-off of a request to their executor: it takes the
 *       pool's locks (the queue's put lock, the pool's main lock when it grows) for nanoseconds,
 *       and BlockHound reports any park on them under contention. It is the price of handing work
 *       to threads at all, part of the baseline being measured; the async model never pays it;</li>
 *   <li>the same hand-off of a task-view read to the view's own thread ({@code TaskView});</li>
 *   <li>Netty's own wait when a channel pool closes at shutdown (on its global executor);</li>
 *   <li>in virtual-loop mode, the JDK's own scheduling of a parked virtual thread's wake-up, which
 *       its carrier, the event loop, does once the thread has unmounted.</li>
 * </ul>
 */
public final class EventLoopsMustNotBlock implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(current -> current.or(t -> t.getName().matches("event-loop-\\d+|vert\\.x-eventloop-thread-\\d+")))
                .allowBlockingCallsInside("dev.asyncprod.server.endpoints.DebugBlockEndpoint", "handleBlocking")
                .allowBlockingCallsInside("dev.asyncprod.server.exec.ThreadedModel", "execute")
                // The same hand-off to a bounded queue: a task-view read given to the view's own thread.
                .allowBlockingCallsInside("dev.asyncprod.server.tasks.TaskView", "onViewThread")
                .allowBlockingCallsInside("io.netty.channel.pool.SimpleChannelPool", "close")
                // virtual-loop: once a virtual thread's timed park has unmounted it, its carrier (the
                // event loop) schedules the wake-up on the JDK's timer queue, whose lock it may wait
                // on for nanoseconds under contention; the same hand-off as a pool's queue.
                .allowBlockingCallsInside("java.lang.VirtualThread", "afterYield");
    }
}
