package dev.asyncprod.server.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.asyncprod.base.NettyTransport;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Cancellation;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.QueryParams;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import dev.asyncprod.server.http.TraceContext;
import dev.asyncprod.server.ops.EventLoopWatchdog;
import dev.asyncprod.server.tasks.RequestFacts;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * virtual-loop mode: a body written in the blocking style runs on a virtual thread whose carrier is
 * the event loop that read its request. Waiting unmounts it, so the loop serves others (and
 * BlockHound, which the suite runs under with the loops marked non-blocking, does not object);
 * computing holds the loop, as a blocking call on an async loop does, and the watchdog says so,
 * naming the request and showing the virtual thread's own stack.
 */
@Timeout(60)
class LoopCarriedModelTest {

    private final EventLoopGroup loops = NettyTransport.select(NettyTransport.Kind.AUTO).newGroup(1, "event-loop");
    private final EventLoop loop = loops.next();
    private final ThreadedModel model = ThreadedModel.loopCarried();

    @AfterEach
    void close() {
        model.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aBodyRunsOnAVirtualThreadCarriedByItsLoop() throws Exception {
        String loopThread = loop.submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);

        Response answer = run(body(() -> {
            Thread me = Thread.currentThread();
            return me.isVirtual() + " " + me.getName() + " " + me;
        }), Task.NONE).get(10, TimeUnit.SECONDS);

        String text = text(answer);
        assertThat(text).startsWith("true virtual-loop-1-").endsWith("@" + loopThread);
    }

    @Test
    void whileABodyWaitsItsLoopServesOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Response> first = run(body(() -> awaitRelease(release)), Task.NONE);
        CompletableFuture<Response> second = run(body(() -> awaitRelease(release)), Task.NONE);

        // Both bodies are parked on the one loop, and it still runs a task of its own.
        assertThat(loop.submit(() -> "served").get(10, TimeUnit.SECONDS)).isEqualTo("served");
        assertThat(first).isNotDone();
        release.countDown();
        assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("released");
        assertThat(text(second.get(10, TimeUnit.SECONDS))).isEqualTo("released");
    }

    @Test
    void aBodyThatComputesHoldsItsLoopAndTheWatchdogNamesIt() throws Exception {
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        Logger log = (Logger) LoggerFactory.getLogger(EventLoopWatchdog.class);
        warnings.start();
        log.addAppender(warnings);
        try (TaskRegistry tasks = TaskRegistry.create(10, Duration.ofMillis(50), Duration.ofMinutes(1));
             EventLoopWatchdog watchdog = new EventLoopWatchdog(loops, Duration.ofMillis(50), tasks::blockedBy)) {
            loop.schedule(() -> null, 100, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS); // the watchdog has heard the loop
            Task root = tasks.register(Task.request(new RequestFacts("spinner-1", () -> "0".repeat(32), "GET", "/spin",
                    "HTTP/1.1", "test"), System.nanoTime()));
            CountDownLatch started = new CountDownLatch(1);
            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Response> spinner = run(body(() -> {
                started.countDown();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // computing: nothing unmounts it
                }
                done.set(true);
                return "spun";
            }), root);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            // The loop runs nothing else until the body is done with it.
            assertThat(loop.submit(done::get).get(10, TimeUnit.SECONDS)).as("the spin was over when the loop got to this").isTrue();
            assertThat(text(spinner.get(10, TimeUnit.SECONDS))).isEqualTo("spun");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(warnings.list).anySatisfy(e ->
                    assertThat(e.getFormattedMessage()).startsWith("event loop event-loop-1 blocked for")
                            .contains("(request spinner-1 GET /spin)", "on virtual-loop-1-", "the virtual thread it carries",
                                    "LoopCarriedModelTest")));
        } finally {
            log.detachAppender(warnings);
        }
    }

    private CompletableFuture<Response> run(Endpoint.Simple endpoint, Task task) throws Exception {
        Request request = new Request("test", HttpMethod.GET, "/t", "/t", new QueryParams(Map.of()),
                new DefaultHttpHeaders(), new byte[0], System.nanoTime(), new Cancellation(), "127.0.0.1",
                TraceContext.fromHeaderOrNew(null), "HTTP/1.1", task);
        // The model is handed work on the connection's loop, as the dispatcher does.
        return loop.submit(() -> model.execute(endpoint, null, request, loop)).get(10, TimeUnit.SECONDS);
    }

    private static String awaitRelease(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS) ? "released" : "timed out";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String text(Response response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An endpoint whose blocking body answers {@code body}'s text. */
    private static Endpoint.Simple body(Supplier<String> body) {
        return new Endpoint.Simple() {
            @Override
            public CompletableFuture<Response> handleAsync(Void params, AsyncContext ctx) {
                throw new UnsupportedOperationException("blocking body only");
            }

            @Override
            public Response handleBlocking(Void params, BlockingContext ctx) {
                return Response.text(body.get());
            }
        };
    }
}
