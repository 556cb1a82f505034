package dev.asyncprod.server.http;

import dev.asyncprod.server.tasks.Task;
import java.util.concurrent.CompletableFuture;

/** What an async body may use: the request and non-blocking waiting on its event loop. */
public interface AsyncContext {

    Request request();

    /** The execution model's name, as responses report it. */
    String mode();

    /** Completes after {@code millis} on a timer of the request's event loop; holds no thread meanwhile. */
    default CompletableFuture<Void> delay(long millis) {
        return delay(request().task(), millis);
    }

    /** {@link #delay(long)} for {@code waiter} (the request's task, or a child of it): the task view shows it waiting on the timer. */
    CompletableFuture<Void> delay(Task waiter, long millis);
}
