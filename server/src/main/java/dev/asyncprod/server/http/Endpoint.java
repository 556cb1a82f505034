package dev.asyncprod.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * One endpoint, written twice: an async body that returns a future and never blocks, and a
 * blocking body that waits the plain way. Which one runs is the execution model's choice; the
 * parameters are parsed and validated once, before either, so all modes reject bad input alike.
 *
 * @param <P> the endpoint's validated parameters
 */
public interface Endpoint<P> {

    /**
     * Validates the request (query, headers, body); throws {@link HttpError}
     * (4xx) on bad input. Runs on the event loop, so it must not block.
     */
    P parse(Request request);

    /** Runs on the channel's event loop: must not block. */
    CompletableFuture<Response> handleAsync(P params, AsyncContext ctx);

    /** Runs on a pool thread or a virtual thread: may block. */
    Response handleBlocking(P params, BlockingContext ctx) throws Exception;

    /** An endpoint without parameters. */
    interface Simple extends Endpoint<Void> {
        @Override
        default Void parse(Request request) {
            return null;
        }
    }

    /** An endpoint whose answer is ready at once from memory and never blocks: both bodies are the same call. */
    interface Immediate<P> extends Endpoint<P> {

        Response answer(P params);

        @Override
        default CompletableFuture<Response> handleAsync(P params, AsyncContext ctx) {
            return CompletableFuture.completedFuture(answer(params));
        }

        @Override
        default Response handleBlocking(P params, BlockingContext ctx) {
            return answer(params);
        }
    }

    /** The server's own state, reported at once, without parameters (health, info, metrics). */
    interface Snapshot extends Immediate<Void> {

        Response answer();

        @Override
        default Void parse(Request request) {
            return null;
        }

        @Override
        default Response answer(Void params) {
            return answer();
        }
    }
}
