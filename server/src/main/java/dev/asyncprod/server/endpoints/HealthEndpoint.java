package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.Response;
import java.util.concurrent.CompletableFuture;

/** {@code GET /health}: liveness for load balancers and orchestrators. */
public final class HealthEndpoint implements Endpoint.Simple {

    private static final Response UP = Response.json(Json.object().put("status", "UP"));

    @Override
    public CompletableFuture<Response> handleAsync(Void params, AsyncContext ctx) {
        return CompletableFuture.completedFuture(UP);
    }

    @Override
    public Response handleBlocking(Void params, BlockingContext ctx) {
        return UP;
    }
}
