package dev.asyncprod.server;

import static dev.asyncprod.server.support.ProblemAssert.assertProblem;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.config.ServerCommand;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.tasks.TaskRegistry;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.transport.HttpServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A handler that fails, synchronously or later on another thread, is answered 500 with the
 * request id, and the connection keeps serving: no failure goes unobserved.
 */
class FailureMappingTest {

    @Test
    void failedFutureBecomes500WithTheRequestId() throws Exception {
        var worker = Executors.newSingleThreadScheduledExecutor();
        RequestHandler failsLater = (request, loop) -> {
            CompletableFuture<dev.asyncprod.server.http.Response> f = new CompletableFuture<>();
            worker.schedule(() -> f.completeExceptionally(new IllegalStateException("boom")), 20, TimeUnit.MILLISECONDS);
            return f;
        };
        try (HttpServer server = start(failsLater)) {
            HttpResponse<String> r = Http.get(URI.create("http://127.0.0.1:" + server.port() + "/any"));

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(stringField(r.body(), "error")).isEqualTo("internal");
            assertThat(stringField(r.body(), "request_id")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
            assertProblem(r, 500, "internal");
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void handlerThatThrowsIsAnswered500AndTheServerGoesOn() throws Exception {
        RequestHandler throwsNow = (request, loop) -> {
            if (request.path().equals("/throw")) {
                throw new IllegalArgumentException("bug");
            }
            return CompletableFuture.completedFuture(dev.asyncprod.server.http.Response.text("fine"));
        };
        try (HttpServer server = start(throwsNow)) {
            String base = "http://127.0.0.1:" + server.port();

            assertThat(Http.get(URI.create(base + "/throw")).statusCode()).isEqualTo(500);
            assertThat(Http.get(URI.create(base + "/ok")).body()).isEqualTo("fine");
        }
    }

    private static HttpServer start(RequestHandler handler) throws Exception {
        return HttpServer.start(ServerCommand.parse("--host=127.0.0.1", "--port=0"), handler, new Lifecycle(), TaskRegistry.off());
    }
}
