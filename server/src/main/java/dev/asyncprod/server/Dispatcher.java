package dev.asyncprod.server;

import dev.asyncprod.server.exec.ExecutionModel;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.http.Router;
import dev.asyncprod.server.ops.Lifecycle;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * Routes a request, validates its parameters on the event loop (so bad input never takes a pool
 * thread), and hands the endpoint to the execution model.
 */
final class Dispatcher implements RequestHandler {

    private final Router<Route> router;
    private final ExecutionModel work;
    private final ExecutionModel control;
    private final Lifecycle lifecycle;
    private final int maxInflight;

    Dispatcher(Router<Route> router, ExecutionModel work, ExecutionModel control, Lifecycle lifecycle, int maxInflight) {
        this.router = router;
        this.work = work;
        this.control = control;
        this.lifecycle = lifecycle;
        this.maxInflight = maxInflight;
    }

    @Override
    public CompletableFuture<Response> handle(Request request, EventLoop eventLoop) {
        try {
            Route route = router.route(request.method(), request.path());
            if (!route.control() && lifecycle.inFlight() > maxInflight) {
                // Shed at once rather than queue: a queue past capacity only turns overload into timeouts.
                throw HttpError.overloaded("more than " + maxInflight + " requests in progress; retry later", 1);
            }
            return run(route.endpoint(), route.control() ? control : work, request, eventLoop);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t); // 404, 405, 400: mapped where every chain ends
        }
    }

    private static <P> CompletableFuture<Response> run(Endpoint<P> endpoint, ExecutionModel model,
                                                       Request request, EventLoop eventLoop) {
        P params = endpoint.parse(request);
        return model.execute(endpoint, params, request, eventLoop);
    }
}
