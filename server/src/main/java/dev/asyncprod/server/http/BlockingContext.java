package dev.asyncprod.server.http;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;

/**
 * What a blocking body may use. {@link #fork} is how the execution model decides concurrency:
 * the platform-thread pool runs a child inline (naive sequential code, as a thread-per-request
 * server does), virtual mode gives each child its own virtual thread.
 */
public interface BlockingContext {

    Request request();

    String mode();

    /** Starts a child task; {@link Future#get()} waits for it. */
    <T> Future<T> fork(Callable<T> task);
}
