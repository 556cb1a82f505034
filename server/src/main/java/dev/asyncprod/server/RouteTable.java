package dev.asyncprod.server;

import dev.asyncprod.server.db.Database;
import dev.asyncprod.server.email.EmailService;
import dev.asyncprod.server.endpoints.DbEndpoint;
import dev.asyncprod.server.endpoints.DbSleepEndpoint;
import dev.asyncprod.server.endpoints.DebugBlockEndpoint;
import dev.asyncprod.server.endpoints.EmailEndpoint;
import dev.asyncprod.server.endpoints.FanoutEndpoint;
import dev.asyncprod.server.endpoints.GatherEndpoint;
import dev.asyncprod.server.endpoints.HealthCheckEndpoint;
import dev.asyncprod.server.endpoints.HealthEndpoint;
import dev.asyncprod.server.endpoints.HelloEndpoint;
import dev.asyncprod.server.endpoints.IndexEndpoint;
import dev.asyncprod.server.endpoints.InfoEndpoint;
import dev.asyncprod.server.endpoints.JobEndpoint;
import dev.asyncprod.server.endpoints.MailboxEndpoint;
import dev.asyncprod.server.endpoints.MetricsEndpoint;
import dev.asyncprod.server.endpoints.ProblemEndpoint;
import dev.asyncprod.server.endpoints.SleepEndpoint;
import dev.asyncprod.server.endpoints.TaskEndpoint;
import dev.asyncprod.server.endpoints.TasksEndpoint;
import dev.asyncprod.server.endpoints.Upstream;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Problems;
import dev.asyncprod.server.http.Router;
import dev.asyncprod.server.tasks.TaskView;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * The service's API: every route, in one place, shared by all three execution models, each with
 * the line and the curl command {@code GET /} shows for it.
 */
final class RouteTable {

    /** What the endpoints need from the rest of the server. */
    record Services(String mode, Supplier<Map<String, Object>> info, Supplier<String> metrics, Upstream upstream,
                    EmailService email, Database db, BooleanSupplier shuttingDown, Supplier<Map<String, String>> liveness,
                    Supplier<Map<String, String>> readiness) {
    }

    private final Router.Builder<Route> routes = Router.builder();
    private final List<IndexEndpoint.Entry> index = new ArrayList<>();

    private RouteTable() {
    }

    static Router<Route> build(Services s) {
        RouteTable t = new RouteTable();
        t.work(GET, "/hello", new HelloEndpoint(), "the overhead probe: text/plain hello", "curl -s '{base}/hello'");
        t.work(GET, "/sleep", new SleepEndpoint(), "waits ms (0-60000) without holding a thread, except in blocking mode",
                "curl -s '{base}/sleep?ms=100'");
        t.work(GET, "/gather", new GatherEndpoint(), "one sleeper task per value: concurrent in async and virtual, in turn in blocking",
                "curl -s '{base}/gather?ms=2000,5000'");
        t.work(GET, "/fanout", new FanoutEndpoint(s.upstream()), "n calls to the upstream's /sleep?ms=..., at once",
                "curl -s '{base}/fanout?n=3&ms=100'");
        t.work(POST, "/email", new EmailEndpoint(s.email()), "stores an email job durably (202), delivered in the background",
                "curl -s -X POST '{base}/email' -H 'Content-Type: application/json'"
                        + " -d '{\"to\": \"ana@example.com\", \"subject\": \"Welcome\", \"body\": \"Hello Ana\"}'");
        t.work(GET, JobEndpoint.PREFIX, new JobEndpoint(s.email()), "an email job's status, attempts and last error",
                "curl -s '{base}/jobs/<id from POST /email>'");
        t.work(GET, "/db", new DbEndpoint(s.db()), "one random world row; ?queries=N (1-500) for N of them",
                "curl -s '{base}/db?queries=3'");
        t.work(GET, "/db/sleep", new DbSleepEndpoint(s.db()), "SELECT pg_sleep(ms/1000): a wait that holds a pooled connection",
                "curl -s '{base}/db/sleep?ms=100'");
        s.email().mailbox().ifPresent(mailbox -> t.control(GET, "/mailbox", new MailboxEndpoint(mailbox),
                "what the built-in mailbox received, newest first", "curl -s '{base}/mailbox?limit=5'"));
        t.control(GET, "/health", new HealthEndpoint(s.shuttingDown()), "UP, or 503 DRAINING during a graceful shutdown",
                "curl -s '{base}/health'");
        t.control(GET, "/health/live", new HealthCheckEndpoint(s.liveness()), "liveness: the process and its event loops run",
                "curl -s '{base}/health/live'");
        t.control(GET, "/health/ready", new HealthCheckEndpoint(s.readiness()),
                "readiness: accepting work, the job store can take it; 503 while shutting down", "curl -s '{base}/health/ready'");
        t.control(GET, "/info", new InfoEndpoint(s.info()), "what this process is and its live numbers", "curl -s '{base}/info'");
        t.control(GET, "/metrics", new MetricsEndpoint(s.metrics()), "Prometheus text format", "curl -s '{base}/metrics'");
        t.control(GET, Problems.TYPE_PREFIX, new ProblemEndpoint(), "what an error's type means",
                "curl -s '{base}/problems/bad_parameter'");
        return t.withIndex(s.mode());
    }

    /**
     * The admin listener's routes ({@code --admin-port}): what looks inside the server, kept off the
     * public port. All control routes: they answer from the event loop whatever the mode.
     */
    static Router<Route> admin(String mode, TaskView view, boolean debugEndpoints) {
        RouteTable t = new RouteTable();
        t.control(GET, "/debug/tasks", new TasksEndpoint(view),
                "every request in flight and what it spawned; ?format=tree, ?finished=true, filters",
                "curl -s '{base}/debug/tasks?format=tree'");
        t.control(GET, TaskEndpoint.PREFIX, new TaskEndpoint(view), "one task and where it is now: its stack or its future",
                "curl -s '{base}/debug/tasks/<id from /debug/tasks>'");
        if (debugEndpoints) {
            t.control(GET, "/debug/block", new DebugBlockEndpoint(), "blocks an event loop on purpose, for the watchdog",
                    "curl -s '{base}/debug/block?ms=200'");
        }
        return t.withIndex(mode);
    }

    private Router<Route> withIndex(String mode) {
        index.add(new IndexEndpoint.Entry("GET", "/", "this list", "curl -s '{base}/'")); // listed before it is built
        routes.add(GET, "/", Route.control(new IndexEndpoint(mode, index)));
        return routes.build();
    }

    /**
     * A request for every route's path, each answer shape once (200, 404, 405, 400): the warm-up's
     * tour. Nothing is stored and nothing is called downstream: the database routes are visited
     * with bad input only, so a database that is slow or down at start cannot hold the start up.
     */
    static List<String> warmUpTour() {
        List<String> tour = new ArrayList<>();
        for (String target : List.of("/", "/hello", "/sleep?ms=0", "/gather?ms=0,0", "/health", "/health/live",
                "/health/ready", "/info", "/metrics", "/mailbox?limit=1", "/problems/bad_parameter", "/db?queries=x",
                "/db/sleep?ms=x",
                "/jobs/00000000-0000-0000-0000-000000000000", "/nope", "/sleep?ms=x")) {
            tour.add("GET " + target + " HTTP/1.1\r\nHost: warm-up\r\n\r\n");
        }
        tour.add("HEAD /hello HTTP/1.1\r\nHost: warm-up\r\n\r\n");
        tour.add("POST /hello HTTP/1.1\r\nHost: warm-up\r\nContent-Length: 0\r\n\r\n");
        String notAnEmail = "{\"to\": \"warm-up@\", \"subject\": \"s\", \"body\": \"b\"}";
        tour.add("POST /email HTTP/1.1\r\nHost: warm-up\r\nContent-Type: application/json\r\nContent-Length: "
                + notAnEmail.length() + "\r\n\r\n" + notAnEmail);
        return tour;
    }

    /** A route that runs under the configured execution model. */
    private void work(HttpMethod method, String path, Endpoint<?> endpoint, String summary, String curl) {
        add(method, path, Route.work(endpoint), summary, curl);
    }

    /** A route that answers from the event loop in every mode (see {@link Route}). */
    private void control(HttpMethod method, String path, Endpoint<?> endpoint, String summary, String curl) {
        add(method, path, Route.control(endpoint), summary, curl);
    }

    private void add(HttpMethod method, String path, Route route, String summary, String curl) {
        routes.add(method, path, route);
        index.add(new IndexEndpoint.Entry(method.name(), path.endsWith("/") && path.length() > 1 ? path + "{id}" : path,
                summary, curl));
    }
}
