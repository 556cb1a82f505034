package dev.asyncprod.server.transport;

import dev.asyncprod.server.http.Response;

/**
 * A request the codec refused before it reached routing (too large, undecodable). It travels up
 * the pipeline like a request so that its error answer keeps its place among pipelined responses.
 * The connection closes after it: the codec cannot be trusted to find the next request's start.
 */
record RejectedRequest(Response response) {
}
