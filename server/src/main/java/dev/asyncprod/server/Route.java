package dev.asyncprod.server;

import dev.asyncprod.server.http.Endpoint;

/**
 * A route's target. Work routes run under the configured execution model. Control routes
 * ({@code /health}, {@code /info}) never block, so they answer from the event loop in every mode:
 * a saturated blocking pool must not hide the server's own state from the load balancer or the operator.
 */
record Route(Endpoint<?> endpoint, boolean control) {

    static Route work(Endpoint<?> endpoint) {
        return new Route(endpoint, false);
    }

    static Route control(Endpoint<?> endpoint) {
        return new Route(endpoint, true);
    }
}
