package dev.asyncprod.server.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound's rules for this suite (installed by blockhound-junit-platform for every test): the
 * server's event-loop threads ({@code event-loop-N}) must never block. Allowed: the blocking call
 * made on purpose by {@code /debug/block}, and Netty's own wait when a channel pool closes at
 * shutdown (on its global executor, not on an event loop).
 */
public final class EventLoopsMustNotBlock implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.nonBlockingThreadPredicate(current -> current.or(t -> t.getName().matches("event-loop-\\d+")))
                .allowBlockingCallsInside("dev.asyncprod.server.endpoints.DebugBlockEndpoint", "handleBlocking")
                .allowBlockingCallsInside("io.netty.channel.pool.SimpleChannelPool", "close");
    }
}
