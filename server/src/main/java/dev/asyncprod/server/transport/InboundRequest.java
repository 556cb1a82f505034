package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.Request;
import io.netty.handler.codec.http.HttpVersion;

/** A request as the exchanges see it: the server's own {@link Request}, and how its connection goes on. */
record InboundRequest(Request request, boolean keepAlive, HttpVersion version) {
}
