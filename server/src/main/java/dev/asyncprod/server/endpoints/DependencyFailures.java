package dev.asyncprod.server.endpoints;

import dev.asyncprod.base.Causes;
import dev.asyncprod.server.db.DatabaseNotConfiguredException;
import dev.asyncprod.server.db.DatabaseUnavailableException;
import dev.asyncprod.server.email.StoreUnavailableException;
import dev.asyncprod.server.http.HttpError;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * What a dependency's failure looks like over HTTP: the job store or the database unreachable or
 * full is a 503 with Retry-After, no database configured a 503 that says how to start with one;
 * anything else stays as it is (a 500, logged once).
 */
final class DependencyFailures {

    private DependencyFailures() {
    }

    /** The exception to rethrow for {@code failure}, already wrapped for a CompletableFuture stage. */
    static CompletionException toHttp(Throwable failure) {
        Throwable cause = Causes.unwrap(failure);
        if (cause instanceof StoreUnavailableException down) {
            return new CompletionException(HttpError.overloaded(down.getMessage(), down.retryAfterSeconds()));
        }
        if (cause instanceof DatabaseUnavailableException down) {
            return new CompletionException(new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "database_unavailable",
                    down.getMessage(), Map.of("Retry-After", Integer.toString(down.retryAfterSeconds()))));
        }
        if (cause instanceof DatabaseNotConfiguredException none) {
            return new CompletionException(new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "no_database",
                    none.getMessage(), Map.of()));
        }
        return failure instanceof CompletionException c ? c : new CompletionException(failure);
    }

    /** Runs a blocking body, mapping its failures the same way. */
    static <T> T blocking(Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw toHttp(e);
        }
    }
}
