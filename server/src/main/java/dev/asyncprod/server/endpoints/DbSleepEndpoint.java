package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.db.Database;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /db/sleep?ms=M}: {@code SELECT pg_sleep(M / 1000)}, a wait inside the database that
 * holds a pooled connection for its length, so every mode is capped by the pool. A request that
 * times out or whose client goes away cancels the query in the database.
 */
public final class DbSleepEndpoint implements Endpoint<Long> {

    record Slept(long sleptMs, String mode, String thread) {
    }

    private final Database db;

    public DbSleepEndpoint(Database db) {
        this.db = db;
    }

    @Override
    public Long parse(Request request) {
        return request.query().requiredLong("ms", 0, SleepEndpoint.MAX_MS);
    }

    @Override
    public CompletableFuture<Response> handleAsync(Long ms, AsyncContext ctx) {
        CompletableFuture<Void> slept;
        try {
            slept = db.async().sleep(ms, ctx.request().cancellation());
        } catch (RuntimeException e) {
            slept = CompletableFuture.failedFuture(e);
        }
        return slept.handle((done, failure) -> {
            if (failure != null) {
                throw DependencyFailures.toHttp(failure);
            }
            return Response.json(new Slept(ms, ctx.mode(), Thread.currentThread().getName()));
        });
    }

    @Override
    public Response handleBlocking(Long ms, BlockingContext ctx) {
        DependencyFailures.blocking(() -> {
            db.blocking().sleep(ms, ctx.request().cancellation());
            return null;
        });
        return Response.json(new Slept(ms, ctx.mode(), Thread.currentThread().getName()));
    }
}
