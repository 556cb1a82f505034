package dev.asyncprod.load.gen;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * What the generator drives: a connection's request loop, confined to one event loop. HTTP/1.1
 * ({@link LoadConnection}: one request out at a time) and HTTP/2 ({@link H2LoadConnection}: up
 * to {@code -m} streams at once) behave alike towards the run.
 */
interface LoadLoop {

    EventLoop loop();

    /** Connects and runs; completes once stopped (at the end of the run, or earlier if it cannot reconnect). */
    CompletableFuture<Void> start();

    /** The run is over: nothing more is sent; what is in flight is awaited, unrecorded. On {@link #loop()}. */
    void stop();

    /** Called on {@link #loop()} a few times per timeout period by its loop's sweeper. */
    void checkTimeout(long now);
}
