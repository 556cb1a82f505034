package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Response;
import java.util.concurrent.CompletableFuture;

/** {@code GET /hello}: the overhead probe. One shared immutable answer; no allocation beyond the codec's. */
public final class HelloEndpoint implements Endpoint.Simple {

    private static final Response HELLO = Response.text("hello");
    private static final CompletableFuture<Response> DONE = CompletableFuture.completedFuture(HELLO);

    @Override
    public CompletableFuture<Response> handleAsync(Void params, AsyncContext ctx) {
        return DONE;
    }

    @Override
    public Response handleBlocking(Void params, BlockingContext ctx) {
        return HELLO;
    }
}
