package dev.asyncprod.server.http;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * The door between the transport and everything above it. The transport calls it on the
 * channel's event loop; implementations must not block and must never throw past the future.
 */
@FunctionalInterface
public interface RequestHandler {

    CompletableFuture<Response> handle(Request request, EventLoop eventLoop);
}
