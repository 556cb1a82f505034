package dev.asyncprod.server.transport;

import dev.asyncprod.server.config.ServerConfig;
import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.RequestHandler;
import dev.asyncprod.server.ops.Lifecycle;
import dev.asyncprod.server.tasks.TaskRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs requests through a connection's whole pipeline on the calling thread, before the server
 * listens. A cold JVM loads the classes of the request path, Jackson's serializers and Netty's
 * allocator on the first requests, which on an event loop blocks every connection of that loop
 * for a few hundred milliseconds; here they load on the starting thread instead.
 */
final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private WarmUp() {
    }

    /**
     * @param requests raw HTTP/1.1 requests, each answered in turn
     * @param listener told of the answers, like the server's own (a scratch one: nothing is counted)
     */
    static void run(ServerConfig config, RequestHandler handler, ExchangeListener listener, Timer timeouts,
                    TaskRegistry tasks, List<String> requests, Duration timeout) {
        // Netty's allocator initialises its JFR events with its first chunk: a direct buffer does it.
        ByteBufAllocator.DEFAULT.directBuffer(256).release();
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerInitializer(config, handler, new Lifecycle(), listener, timeouts,
                null, new ProtocolMeters(), tasks)); // plain HTTP/1.1: the request path every protocol shares
        try {
            for (String request : requests) {
                channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
                if (!awaitAnswer(channel, timeout)) {
                    log.warn("warm-up: no answer to {} within {} ms", request.lines().findFirst().orElse(""), timeout.toMillis());
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Answers made on other threads come back as tasks for the channel's loop: run them here until one is written. */
    private static boolean awaitAnswer(EmbeddedChannel channel, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            channel.runPendingTasks();
            Object written = channel.readOutbound();
            if (written != null) {
                do {
                    ReferenceCountUtil.release(written);
                } while ((written = channel.readOutbound()) != null);
                return true;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
