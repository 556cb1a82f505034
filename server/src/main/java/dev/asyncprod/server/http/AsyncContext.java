package dev.asyncprod.server.http;

import java.util.concurrent.CompletableFuture;

/** What an async body may use: the request and non-blocking waiting on its event loop. */
public interface AsyncContext {

    Request request();

    /** The execution model's name, as responses report it. */
    String mode();

    /** Completes after {@code millis} on a timer of the request's event loop; holds no thread meanwhile. */
    CompletableFuture<Void> delay(long millis);
}
