package dev.asyncprod.server.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Cancellation;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.QueryParams;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.http.TraceContext;
import dev.asyncprod.server.tasks.Task;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The platform pool grows like Tomcat's: a new thread only when every thread is busy. That rests
 * on its count of work accepted and not yet finished, which must come down however the work ends,
 * including work cancelled while it waited in the queue (its body never runs).
 */
class ThreadedModelTest {

    private static final Duration IDLE = Duration.ofMillis(200);

    @Test
    void cancelledQueuedWorkDoesNotMakeThePoolGrowLater() throws Exception {
        ThreadedModel model = ThreadedModel.platformPool(12, 20, IDLE); // 10 spare threads, up to 12
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        model.bindTo(meters);
        try {
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Response>> busy = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                busy.add(model.execute(waitFor(release), null, request(new Cancellation()), null));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "active") == 12);
            for (int i = 0; i < 11; i++) { // queued behind the busy threads, then their clients go away
                Cancellation gone = new Cancellation();
                model.execute(waitFor(release), null, request(gone), null);
                gone.cancel("client disconnected");
            }
            assertThat(gauge(meters, "in_progress")).as("in progress once the queued work is cancelled").isEqualTo(12);
            release.countDown();
            CompletableFuture.allOf(busy.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "in_progress") == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(meters, "threads") == ThreadedModel.SPARE_THREADS);

            for (int i = 0; i < 20; i++) { // one at a time: an idle spare thread can always take it
                model.execute(waitFor(new CountDownLatch(0)), null, request(new Cancellation()), null).get(10, TimeUnit.SECONDS);
            }

            assertThat(gauge(meters, "threads")).as("pool threads after 20 requests in a row").isEqualTo(ThreadedModel.SPARE_THREADS);
            assertThat(gauge(meters, "in_progress")).isZero();
        } finally {
            model.close();
        }
    }

    private static long gauge(MeterRegistry meters, String name) {
        return (long) meters.get("execution_pool_" + name).gauge().value();
    }

    private static Request request(Cancellation cancellation) {
        return new Request("test", HttpMethod.GET, "/wait", "/wait", new QueryParams(Map.of()), new DefaultHttpHeaders(),
                new byte[0], System.nanoTime(), cancellation, "127.0.0.1", TraceContext.fromHeaderOrNew(null), "HTTP/1.1",
                Task.NONE);
    }

    /** An endpoint whose blocking body holds its thread until {@code release} opens. */
    private static Endpoint.Simple waitFor(CountDownLatch release) {
        return new Endpoint.Simple() {
            @Override
            public CompletableFuture<Response> handleAsync(Void params, AsyncContext ctx) {
                throw new UnsupportedOperationException("blocking body only");
            }

            @Override
            public Response handleBlocking(Void params, BlockingContext ctx) throws InterruptedException {
                release.await();
                return Response.text("done");
            }
        };
    }
}
