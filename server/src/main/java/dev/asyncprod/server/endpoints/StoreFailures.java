package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.email.StoreUnavailableException;
import dev.asyncprod.server.http.ErrorMapper;
import dev.asyncprod.server.http.HttpError;
import java.util.concurrent.CompletionException;

/** What a job store's failure looks like over HTTP: unreachable or full is a 503 with Retry-After; anything else a 500. */
final class StoreFailures {

    private StoreFailures() {
    }

    /** The exception to rethrow for {@code failure}, already wrapped for a CompletableFuture stage. */
    static CompletionException toHttp(Throwable failure) {
        if (ErrorMapper.unwrap(failure) instanceof StoreUnavailableException down) {
            return new CompletionException(HttpError.overloaded(down.getMessage(), down.retryAfterSeconds()));
        }
        return failure instanceof CompletionException c ? c : new CompletionException(failure);
    }
}
