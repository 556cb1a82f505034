package dev.asyncprod.server.ops;

import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.http.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per answered request, on the {@code access} logger, with the request's id in the MDC. */
public final class AccessLog implements ExchangeListener {

    private static final Logger access = LoggerFactory.getLogger("access");

    private final String mode;

    /** @param mode the execution model's name, on every line so that logs of several modes can be told apart */
    public AccessLog(String mode) {
        this.mode = mode;
    }

    @Override
    public void answered(Request r, int status, long durationNanos) {
        if (access.isInfoEnabled()) {
            try (LogContext.Scope scope = LogContext.open(r.id(), null)) {
                // The request id is in the MDC: the pattern prints it (id=...), a JSON encoder would too.
                access.info("{} {} {} {}ms mode={}", r.method(), r.uri(), status, String.format("%.1f", durationNanos / 1e6), mode);
            }
        }
    }
}
