package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health}: for load balancers and orchestrators. 200 {@code UP} while serving; 503
 * {@code DRAINING} once a graceful shutdown has begun, so a balancer stops sending new work here.
 */
public final class HealthEndpoint implements Endpoint.Snapshot {

    record Health(String status) {
    }

    private static final Response UP = Response.json(new Health("UP"));
    private static final Response DRAINING = Response.json(HttpResponseStatus.SERVICE_UNAVAILABLE, new Health("DRAINING"));

    private final BooleanSupplier draining;

    public HealthEndpoint(BooleanSupplier draining) {
        this.draining = draining;
    }

    @Override
    public Response answer() {
        return draining.getAsBoolean() ? DRAINING : UP;
    }
}
