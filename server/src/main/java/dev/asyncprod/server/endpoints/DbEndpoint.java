package dev.asyncprod.server.endpoints;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncprod.server.db.Database;
import dev.asyncprod.server.db.World;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /db} and {@code GET /db?queries=N}: TechEmpower's single and multiple database query
 * tests. One random {@code world} row as an object; with {@code queries} (1-500), that many as an
 * array. Async sends the N queries at once on one connection (pipelined); the blocking body runs
 * them one after another, as naive JDBC code does, on its pool thread or its virtual thread.
 */
public final class DbEndpoint implements Endpoint<Integer> {

    /** TechEmpower's own cap on queries per request. */
    public static final int MAX_QUERIES = 500;
    /** The parameter absent: one row, as an object rather than an array of one. */
    private static final int SINGLE = 0;

    /** TechEmpower's field names, camel case, whatever the API's own JSON convention. */
    record Row(int id, @JsonProperty("randomNumber") int randomNumber) {
        static Row of(World w) {
            return new Row(w.id(), w.randomNumber());
        }

        static Object json(Object rows) {
            return rows instanceof World w ? of(w) : ((List<?>) rows).stream().map(r -> of((World) r)).toList();
        }
    }

    private final Database db;

    public DbEndpoint(Database db) {
        this.db = db;
    }

    @Override
    public Integer parse(Request request) {
        return (int) request.query().optionalLong("queries", SINGLE, 1, MAX_QUERIES);
    }

    @Override
    public CompletableFuture<Response> handleAsync(Integer queries, AsyncContext ctx) {
        CompletableFuture<?> rows;
        try {
            rows = queries == SINGLE ? db.async().one() : db.async().many(queries);
        } catch (RuntimeException e) {
            rows = CompletableFuture.failedFuture(e);
        }
        return rows.handle((body, failure) -> {
            if (failure != null) {
                throw DependencyFailures.toHttp(failure);
            }
            return Response.json(Row.json(body));
        });
    }

    @Override
    public Response handleBlocking(Integer queries, BlockingContext ctx) {
        Object body = DependencyFailures.blocking(() -> queries == SINGLE ? db.blocking().one() : db.blocking().many(queries));
        return Response.json(Row.json(body));
    }
}
