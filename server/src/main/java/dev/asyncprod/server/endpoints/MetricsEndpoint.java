package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /metrics}: Prometheus text format. A control route: it answers even when the pool is full. */
public final class MetricsEndpoint implements Endpoint.Snapshot {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;

    public MetricsEndpoint(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    public Response answer() {
        return new Response(HttpResponseStatus.OK, CONTENT_TYPE, scrape.get().getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
