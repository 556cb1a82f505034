package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An orchestrator's probe ({@code /health/live}, {@code /health/ready}): 200 {@code UP} when
 * every check says {@code UP}, else 503 {@code DOWN}, with each check's state, so the reason
 * shows in {@code kubectl describe pod}. The checks answer from what is known already: a probe
 * never waits on a dependency.
 */
public final class HealthCheckEndpoint implements Endpoint.Snapshot {

    public static final String UP = "UP";

    record Health(String status, Map<String, String> checks) {
    }

    private final Supplier<Map<String, String>> checks;

    /** @param checks each check's state: {@code UP}, or why not */
    public HealthCheckEndpoint(Supplier<Map<String, String>> checks) {
        this.checks = checks;
    }

    @Override
    public Response answer() {
        Map<String, String> now = checks.get();
        boolean up = now.values().stream().allMatch(UP::equals);
        return Response.json(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                new Health(up ? UP : "DOWN", now));
    }
}
