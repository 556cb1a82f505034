package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.asyncprod.base.NettyTransport;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;

/**
 * The suite runs under BlockHound (see {@code EventLoopsMustNotBlock}): every other test that passes
 * is evidence that no event loop blocked. This one shows the guard is really armed.
 */
class BlockHoundGuardTest {

    @Test
    void blockingOnAnEventLoopFailsTheCaller() throws Exception {
        EventLoopGroup loops = NettyTransport.select(NettyTransport.Kind.AUTO).newGroup(1, "event-loop");
        try {
            Throwable thrown = catchThrowable(() -> loops.submit(() -> {
                Thread.sleep(1);
                return null;
            }).get(10, TimeUnit.SECONDS));

            assertThat(thrown).isInstanceOf(ExecutionException.class);
            assertThat(thrown.getCause()).isInstanceOf(BlockingOperationError.class)
                    .hasMessageContaining("Thread.sleep");
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void poolThreadsMayBlock() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean slept = new java.util.concurrent.atomic.AtomicBoolean();
        Thread worker = Thread.ofPlatform().name("blocking-1").start(() -> {
            try {
                Thread.sleep(1);
                slept.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.join(10_000);
        assertThat(slept).as("a blocking-pool thread slept without BlockHound objecting").isTrue();
    }
}
