package dev.asyncprod.server;

import dev.asyncprod.server.email.EmailService;
import dev.asyncprod.server.endpoints.DebugBlockEndpoint;
import dev.asyncprod.server.endpoints.EmailEndpoint;
import dev.asyncprod.server.endpoints.FanoutEndpoint;
import dev.asyncprod.server.endpoints.GatherEndpoint;
import dev.asyncprod.server.endpoints.HealthEndpoint;
import dev.asyncprod.server.endpoints.HelloEndpoint;
import dev.asyncprod.server.endpoints.InfoEndpoint;
import dev.asyncprod.server.endpoints.JobEndpoint;
import dev.asyncprod.server.endpoints.MailboxEndpoint;
import dev.asyncprod.server.endpoints.MetricsEndpoint;
import dev.asyncprod.server.endpoints.SleepEndpoint;
import dev.asyncprod.server.endpoints.Upstream;
import dev.asyncprod.server.http.Router;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/** The service's API: every route, in one place, shared by all three execution models. */
final class RouteTable {

    private RouteTable() {
    }

    /** What the endpoints need from the rest of the server. */
    record Services(Supplier<Map<String, Object>> info, Supplier<String> metrics, Upstream upstream, EmailService email,
                    BooleanSupplier draining, boolean debugEndpoints) {
    }

    static Router<Route> build(Services services) {
        Router.Builder<Route> routes = Router.<Route>builder()
                .add(GET, "/hello", Route.work(new HelloEndpoint()))
                .add(GET, "/sleep", Route.work(new SleepEndpoint()))
                .add(GET, "/gather", Route.work(new GatherEndpoint()))
                .add(GET, "/fanout", Route.work(new FanoutEndpoint(services.upstream())))
                .add(POST, "/email", Route.work(new EmailEndpoint(services.email())))
                .add(GET, JobEndpoint.PREFIX, Route.work(new JobEndpoint(services.email())))
                .add(GET, "/health", Route.control(new HealthEndpoint(services.draining())))
                .add(GET, "/info", Route.control(new InfoEndpoint(services.info())))
                .add(GET, "/metrics", Route.control(new MetricsEndpoint(services.metrics())));
        services.email().mailbox().ifPresent(mailbox ->
                routes.add(GET, "/mailbox", Route.control(new MailboxEndpoint(mailbox))));
        if (services.debugEndpoints()) {
            routes.add(GET, "/debug/block", Route.control(new DebugBlockEndpoint()));
        }
        return routes.build();
    }
}
