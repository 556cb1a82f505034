package dev.asyncprod.server.db;

import dev.asyncprod.server.tasks.Outcome;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskKind;
import dev.asyncprod.server.tasks.Wait;
import java.util.concurrent.CompletableFuture;

/**
 * A query as a child of the task that runs it (the request), for the task view: first waiting for
 * a pooled connection, then on the query on its backend. Both drivers name the same steps.
 */
final class QueryTasks {

    private QueryTasks() {
    }

    /** A query of the current task, waiting for a connection from {@code pool} (thread-free: async). */
    static Task awaitingPool(String sql, Wait pool) {
        Task query = Task.current().child(TaskKind.QUERY, sql);
        query.awaiting(pool);
        return query;
    }

    /** The connection came: the query now waits on PostgreSQL's backend {@code pid}. */
    static Wait onBackend(int pid) {
        return Wait.on("query on backend pid " + pid);
    }

    /** Finishes {@code query} when {@code result} completes; returns {@code result}. */
    static <T> CompletableFuture<T> finishWith(Task query, CompletableFuture<T> result) {
        query.watch(result);
        return result.whenComplete((value, failure) -> finish(query, failure));
    }

    static void finish(Task query, Throwable failure) {
        query.finish(Outcome.of(failure));
    }
}
