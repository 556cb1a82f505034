package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.TimeUnit;

/**
 * One request in a connection's line, until its answer is written. The answer is set once: by
 * the handler's outcome, by the request timeout, or as nothing at all when the client went away.
 * Confined to the connection's event loop.
 */
final class Exchange {

    /** The answer of a request whose client went away: nothing is written. */
    private static final Response DISCARDED = Response.text("");

    private final Request request; // null for a request the codec rejected
    private final boolean keepAlive;
    private final HttpVersion version;
    private Response answer;
    private Timeout timeout;

    Exchange(Request request, boolean keepAlive, HttpVersion version) {
        this.request = request;
        this.keepAlive = keepAlive;
        this.version = version;
    }

    /** A request refused before routing: answered already, and the connection closes after it. */
    static Exchange rejected(Response answer) {
        Exchange e = new Exchange(null, false, HttpVersion.HTTP_1_1);
        e.answer = answer;
        return e;
    }

    Request request() {
        return request;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    HttpVersion version() {
        return version;
    }

    boolean isAnswered() {
        return answer != null;
    }

    Response answer() {
        return answer;
    }

    /** Sets the answer unless one was set first; true if this one counts. */
    boolean complete(Response response) {
        if (answer != null) {
            return false;
        }
        answer = response;
        if (timeout != null) {
            timeout.cancel(); // else a timer per request would wait out the whole timeout
        }
        return true;
    }

    /** Runs {@code onTimeout} on {@code loop} if no answer is set within {@code millis}. */
    void startTimeout(Timer timer, EventLoop loop, long millis, Runnable onTimeout) {
        timeout = timer.newTimeout(t -> loop.execute(onTimeout), millis, TimeUnit.MILLISECONDS);
    }

    /** The client is gone: stop the work behind the request; nothing will be written. True if it was still open. */
    boolean abandon() {
        if (request == null || !complete(DISCARDED)) {
            return false;
        }
        request.cancellation().cancel("client disconnected");
        return true;
    }
}
