package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.Problems;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;

/** {@code GET /problems/<code>}: what an error answer's {@code type} means, so the type is a working link. */
public final class ProblemEndpoint implements Endpoint.Immediate<Problems.Description> {

    @Override
    public Problems.Description parse(Request request) {
        String code = request.path().substring(Problems.TYPE_PREFIX.length());
        return Problems.describe(code).orElseThrow(() -> HttpError.notFound(request.path()));
    }

    @Override
    public Response answer(Problems.Description description) {
        return Response.json(description);
    }
}
