package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Response;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /info}: what this process is running and how it is doing, for humans and for the comparison report. */
public final class InfoEndpoint implements Endpoint.Snapshot {

    private final Supplier<Map<String, Object>> facts;

    /** @param facts builds the current facts (mode, transport, configuration, live numbers) on each call */
    public InfoEndpoint(Supplier<Map<String, Object>> facts) {
        this.facts = facts;
    }

    @Override
    public Response answer() {
        return Response.json(facts.get());
    }
}
