package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.Response;
import java.util.function.Supplier;

/** {@code GET /info}: what this process is running, for humans and for the comparison report. */
public final class InfoEndpoint implements Endpoint.Immediate {

    private final Supplier<Json> facts;

    /** @param facts builds the current facts (mode, transport, pool state, uptime) on each call */
    public InfoEndpoint(Supplier<Json> facts) {
        this.facts = facts;
    }

    @Override
    public Response answer() {
        return Response.json(facts.get());
    }
}
