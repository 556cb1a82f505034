package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.sun.net.httpserver.HttpServer;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.config.ServerCommand;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.PostgresExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live task view ({@code GET /debug/tasks} on the admin listener) while a request waits on
 * something outside the server, in every mode: a query on a real PostgreSQL (on its backend, then
 * on a pool of one), two calls to an upstream that holds its answers until the test lets them go,
 * and an email delivery whose SMTP server holds its reply to the message. Each wait is held by the
 * test, so the view is read while it lasts, and then the finished ring is read once it is over.
 * Every JSON answer read is checked against {@code tasks.schema.json}.
 */
class TaskViewDependenciesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = schema();
    /** ServerExtension's range for admin listeners: far from the ephemeral ports clients' sockets take. */
    private static final String ADMIN_PORTS = "--admin-port=21000-21999";
    /** Generous: two busy cores, a JVM that may be warming up, a database that may be starting a backend. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private final List<Server> started = new ArrayList<>();
    private final List<Held> fixtures = new ArrayList<>();

    @AfterEach
    void stop() {
        fixtures.forEach(Held::release); // nothing the servers wait on stays held while they drain
        started.forEach(Server::close);
        fixtures.forEach(Held::close);
    }

    private Server start(Mode mode, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--port=0", "--mode=" + mode.label(),
                "--data-dir=" + Files.createTempDirectory("asyncprod-tasks-"), "--access-log=off", ADMIN_PORTS));
        args.addAll(List.of(flags));
        Server server = Server.start(ServerCommand.parse(args.toArray(String[]::new)));
        started.add(server);
        return server;
    }

    private <T extends Held> T hold(T fixture) {
        fixtures.add(fixture);
        return fixture;
    }

    // ---------------------------------------------------------------------------------------------
    // 1. A query on a real PostgreSQL: on its backend, then on a pool of one

    @Nested
    class AQuery {

        @RegisterExtension
        static final PostgresExtension postgres = new PostgresExtension();

        private static String db;

        /** Long enough for the second request to be seen waiting behind the first, even on a slow machine. */
        private static final long HOLD_MS = 4000;
        private static final String TARGET = "/db/sleep?ms=" + HOLD_MS;

        @BeforeAll
        static void database() {
            db = postgres.newDatabase();
        }

        @AfterEach
        void noQueryLeftSleeping() {
            postgres.execute(db, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                    + " AND pid <> pg_backend_pid()");
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void waitsOnItsBackendThenASecondOneOnThePool(Mode mode) throws Exception {
            Server server = start(mode, "--db=" + db, "--db-pool=1", "--db-pool-wait=30s");

            CompletableFuture<HttpResponse<String>> first = getAsync(server, TARGET, "db-1");
            JsonNode holder = awaitRoot(server, "?path=/db/sleep", requestId("db-1"), root -> {
                assertThat(children(root)).hasSize(1);
                JsonNode query = children(root).get(0);
                assertThat(query.path("state").asText()).isEqualTo("waiting");
                assertThat(query.path("waiting_on").asText()).matches("query on backend pid \\d+");
            });

            // The request: what it is, where it came from, which model runs it and on what thread.
            assertThat(holder.path("kind").asText()).isEqualTo("request");
            assertThat(holder.path("name").asText()).isEqualTo("GET " + TARGET);
            assertThat(holder.path("parent_id").isNull()).isTrue();
            assertThat(holder.path("mode").asText()).isEqualTo(mode.label());
            assertThat(holder.at("/request/method").asText()).isEqualTo("GET");
            assertThat(holder.at("/request/target").asText()).isEqualTo(TARGET);
            assertThat(holder.at("/request/protocol").asText()).isEqualTo("HTTP/1.1");
            assertRequestThread(mode, holder.path("thread"));
            // Its query: a child of it, named for its SQL, on a backend PostgreSQL itself names as busy in pg_sleep.
            JsonNode query = children(holder).get(0);
            assertThat(query.path("kind").asText()).isEqualTo("query");
            assertThat(query.path("name").asText()).isEqualTo("SELECT pg_sleep(" + HOLD_MS / 1000.0 + ")");
            assertThat(query.path("parent_id").asLong()).isEqualTo(holder.path("id").asLong());
            assertThat(query.path("mode").asText()).isEqualTo(mode.label());
            long pid = Long.parseLong(query.path("waiting_on").asText().replaceAll("\\D", ""));
            assertThat(postgres.queryLong(db, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                    + " AND query LIKE 'SELECT pg_sleep%'")).as("backend %d runs the sleep", pid).isEqualTo(1);

            // Where the query is: blocking and virtual on the request's own thread inside the driver; async, a future.
            JsonNode where = where(server, query.path("id").asLong());
            assertThat(where.at("/task/id").asLong()).isEqualTo(query.path("id").asLong());
            if (mode == Mode.ASYNC) {
                assertThat(where.at("/where/thread_state").isNull()).as(where.toPrettyString()).isTrue();
                assertThat(where.at("/where/future/done").asBoolean(true)).as(where.toPrettyString()).isFalse();
            } else {
                assertThat(where.at("/where/thread_state").isTextual()).as(where.toPrettyString()).isTrue();
                assertThat(StreamSupport.stream(where.at("/where/stack").spliterator(), false).map(JsonNode::asText))
                        .as(where.toPrettyString()).anyMatch(frame -> frame.contains("BlockingWorlds.sleep"));
            }

            // Ages are read when the view is: they grow from one read to the next.
            long firstAge = holder.path("age_ms").asLong();
            long firstQueryAge = query.path("age_ms").asLong();
            awaitRoot(server, "?path=/db/sleep", requestId("db-1"), root -> {
                assertThat(root.path("age_ms").asLong()).isGreaterThan(firstAge);
                assertThat(children(root).get(0).path("age_ms").asLong()).isGreaterThan(firstQueryAge);
            });

            // A second request finds the one connection taken: its query waits on the pool.
            CompletableFuture<HttpResponse<String>> second = getAsync(server, TARGET, "db-2");
            String poolWait = mode == Mode.ASYNC ? "database pool (1 connections)" : "database pool (1 of 1 in use)";
            JsonNode waiter = awaitRoot(server, "?path=/db/sleep&kind=query", requestId("db-2"), root -> {
                assertThat(children(root)).hasSize(1);
                JsonNode q = children(root).get(0);
                assertThat(q.path("kind").asText()).isEqualTo("query");
                assertThat(q.path("state").asText()).isEqualTo("waiting");
                assertThat(q.path("waiting_on").asText()).isEqualTo(poolWait);
            });
            assertThat(first).as("the first still holds the connection while the second waits").isNotDone();
            assertThat(waiter.path("name").asText()).isEqualTo("GET " + TARGET);

            assertThat(join(first).statusCode()).isEqualTo(200);
            assertThat(join(second).statusCode()).isEqualTo(200);

            // Answered: both in the finished ring, each with its query done.
            JsonNode ring = view(server, "?finished=true&path=/db/sleep");
            assertThat(ring.path("view").asText()).isEqualTo("finished");
            for (String id : List.of("db-1", "db-2")) {
                JsonNode done = roots(ring).filter(requestId(id)).findFirst()
                        .orElseThrow(() -> new AssertionError("no " + id + " in the finished ring: " + ring.toPrettyString()));
                assertThat(done.path("state").asText()).isEqualTo("done");
                assertThat(done.at("/outcome/status").asInt()).isEqualTo(200);
                assertThat(done.path("waiting_on").isNull()).isTrue();
                assertThat(children(done)).singleElement().satisfies(q -> {
                    assertThat(q.path("kind").asText()).isEqualTo("query");
                    assertThat(q.path("state").asText()).isEqualTo("done");
                    assertThat(q.at("/outcome/summary").asText()).isEqualTo("ok");
                });
            }
            assertThat(roots(view(server, "?path=/db/sleep"))).as("none left live").isEmpty();

            // The request holds no thread of its own while its query waits (async), or its thread is the one
            // blocked in the driver (blocking, virtual). Either way it waits, and its busy clock stops.
            assertThat(holder.path("state").asText()).as("a request whose query blocks its own thread waits on it;"
                    + " the request as the view showed it: %s", holder).isEqualTo("waiting");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 2. /fanout to an upstream that holds its answers

    @Nested
    class DownstreamCalls {

        @ParameterizedTest
        @EnumSource(Mode.class)
        void waitOnTheUpstreamAtOnceExceptInBlockingModeWhereTheSecondIsQueued(Mode mode) throws Exception {
            HeldUpstream upstream = hold(new HeldUpstream());
            Server server = start(mode, "--upstream=http://127.0.0.1:" + upstream.port(),
                    "--upstream-timeout=30s", "--fanout-deadline=60s");
            String target = "/fanout?n=2&ms=100";
            String call = "GET http://127.0.0.1:" + upstream.port() + "/sleep?ms=100";

            CompletableFuture<HttpResponse<String>> fanout = getAsync(server, target, "fanout-1");
            JsonNode root;
            if (mode == Mode.BLOCKING) {
                // Children run inline, one after another: the request's thread is in the first call, waiting on the upstream.
                root = awaitRoot(server, "?path=/fanout", requestId("fanout-1"), r -> {
                    assertThat(children(r)).isNotEmpty();
                    assertThat(children(r).get(0).path("name").asText()).isEqualTo("call 1");
                    assertThat(children(r).get(0).path("state").asText()).isEqualTo("waiting");
                    assertThat(children(r).get(0).path("waiting_on").asText()).isEqualTo(call);
                    assertThat(r.path("waiting_on").asText()).isEqualTo("http_call call 1, on this thread");
                });
                assertThat(upstream.arrived()).as("only the first call was sent").isEqualTo(1);
            } else {
                root = awaitRoot(server, "?path=/fanout", requestId("fanout-1"), r -> {
                    assertThat(children(r)).hasSize(2).allSatisfy(c -> {
                        assertThat(c.path("state").asText()).isEqualTo("waiting");
                        assertThat(c.path("waiting_on").asText()).isEqualTo(call);
                    });
                    assertThat(r.path("waiting_on").asText()).isEqualTo("its children (2 not done)");
                });
                assertThat(upstream.arrived()).as("both calls were sent at once").isEqualTo(2);
                assertThat(children(root)).extracting(c -> c.path("name").asText()).containsExactly("call 1", "call 2");
            }
            assertThat(root.path("name").asText()).isEqualTo("GET " + target);
            assertThat(root.path("mode").asText()).isEqualTo(mode.label());
            assertThat(root.path("state").asText()).isEqualTo("waiting");
            assertThat(children(root)).allSatisfy(c -> {
                assertThat(c.path("kind").asText()).isEqualTo("http_call");
                assertThat(c.path("parent_id").asLong()).isEqualTo(root.path("id").asLong());
                assertThat(c.path("mode").asText()).isEqualTo(mode.label());
            });

            upstream.release();
            HttpResponse<String> answer = join(fanout);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(upstream.arrived()).isEqualTo(2);

            JsonNode ring = view(server, "?finished=true&path=/fanout");
            JsonNode done = roots(ring).filter(requestId("fanout-1")).findFirst()
                    .orElseThrow(() -> new AssertionError("not in the finished ring: " + ring.toPrettyString()));
            assertThat(done.path("state").asText()).isEqualTo("done");
            assertThat(done.at("/outcome/status").asInt()).isEqualTo(200);
            assertThat(children(done)).extracting(c -> c.path("name").asText()).containsExactly("call 1", "call 2");
            assertThat(children(done)).allSatisfy(c -> assertThat(c.path("state").asText()).isEqualTo("done"));
            assertThat(roots(view(server, "?path=/fanout"))).as("none left live").isEmpty();

            SoftAssertions calls = new SoftAssertions();
            if (mode == Mode.BLOCKING) {
                calls.assertThat(children(root)).as("the second call is in the view, not started, while the first waits"
                        + " (a fork runs inline); the request as the view showed it: %s", root).hasSize(2);
                if (children(root).size() == 2) {
                    calls.assertThat(children(root).get(1).path("state").asText()).isEqualTo("queued");
                    calls.assertThat(children(root).get(1).path("waiting_on").asText()).isEqualTo("a thread to start on");
                }
            }
            for (JsonNode c : children(done)) {
                calls.assertThat(c.at("/outcome/status").isInt() ? c.at("/outcome/status").asInt() : null)
                        .as("a call's task ends with the upstream's status, in every mode; the call as the ring shows it: %s", c)
                        .isEqualTo(200);
            }
            calls.assertAll();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 3. A delivery whose SMTP server holds its reply to the message

    @Nested
    class ADelivery {

        private static final String REQUEST_ID = "email-test-1";
        private static final Pattern ACCEPTED_BY =
                Pattern.compile("attempt (\\d+), accepted by request " + REQUEST_ID + " POST /email \\(task #(\\d+)\\)");

        @ParameterizedTest
        @EnumSource(Mode.class)
        void isARootLinkedToTheRequestThatAcceptedItUntilTheMailServerAnswers(Mode mode) throws Exception {
            HeldSmtpServer smtp = hold(new HeldSmtpServer());
            Server server = start(mode, "--smtp=127.0.0.1:" + smtp.port());

            String job = accept(server);
            await().atMost(PATIENCE).until(() -> smtp.messagesHeld() == 1);
            JsonNode delivery = awaitRoot(server, "?kind=delivery", named("job " + job), d -> {
                assertThat(d.path("state").asText()).isEqualTo("waiting");
                assertThat(d.path("waiting_on").asText()).isEqualTo("smtp 127.0.0.1:" + smtp.port());
            });

            assertThat(delivery.path("kind").asText()).isEqualTo("delivery");
            assertThat(delivery.path("parent_id").isNull()).isTrue();
            assertThat(delivery.has("request")).as("a background root, not a request").isFalse();
            assertThat(delivery.path("waiting_on").asText()).startsWith("smtp 127.0.0.1:");
            assertThat(delivery.path("detail").asText()).contains("accepted by request " + REQUEST_ID);
            Matcher link = ACCEPTED_BY.matcher(delivery.path("detail").asText());
            assertThat(link.matches()).as(delivery.path("detail").asText()).isTrue();
            JsonNode thread = delivery.path("thread");
            switch (mode) {
                // The attempt starts on the pump's thread; the SMTP exchange goes on in callbacks no task enters.
                case ASYNC -> {
                    assertThat(thread.path("name").asText()).isEqualTo("email-pump");
                    assertThat(thread.path("kind").asText()).isEqualTo("platform");
                }
                case BLOCKING -> {
                    assertThat(thread.path("name").asText()).matches("email-sender-\\d+");
                    assertThat(thread.path("kind").asText()).isEqualTo("platform");
                }
                case VIRTUAL -> {
                    assertThat(thread.path("name").asText()).matches("email-sender-\\d+");
                    assertThat(thread.path("kind").asText()).isEqualTo("virtual");
                }
            }

            // The link names the request's own task: it is in the finished ring, answered 202, its commit done.
            JsonNode ring = view(server, "?finished=true&path=/email");
            JsonNode accepted = roots(ring).filter(requestId(REQUEST_ID)).findFirst()
                    .orElseThrow(() -> new AssertionError("no POST /email in the finished ring: " + ring.toPrettyString()));
            assertThat(accepted.path("id").asLong()).isEqualTo(Long.parseLong(link.group(2)));
            assertThat(accepted.path("name").asText()).isEqualTo("POST /email");
            assertThat(accepted.at("/outcome/status").asInt()).isEqualTo(202);
            assertThat(children(accepted)).singleElement().satisfies(commit -> {
                assertThat(commit.path("kind").asText()).isEqualTo("commit");
                assertThat(commit.path("name").asText()).isEqualTo("job store commit");
                assertThat(commit.path("state").asText()).isEqualTo("done");
                assertThat(commit.at("/outcome/summary").asText()).isEqualTo("ok");
            });

            smtp.release();
            // Delivered: the root leaves the live view for the finished ring, as a request does.
            await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() ->
                    assertThat(roots(view(server, "?kind=delivery")).filter(named("job " + job))).isEmpty());
            JsonNode finished = roots(view(server, "?finished=true&kind=delivery")).filter(named("job " + job)).findFirst()
                    .orElseThrow(() -> new AssertionError("the delivery is not in the finished ring"));
            assertThat(finished.path("id").asLong()).isEqualTo(delivery.path("id").asLong());
            assertThat(finished.path("state").asText()).isEqualTo("done");
            assertThat(finished.at("/outcome/summary").asText()).isEqualTo("ok");
            assertThat(finished.path("waiting_on").isNull()).isTrue();
            await().atMost(PATIENCE).untilAsserted(() ->
                    assertThat(stringField(Http.get(uri(server, "/jobs/" + job)).body(), "status")).isEqualTo("sent"));
            String stored = Http.get(uri(server, "/jobs/" + job)).body();

            SoftAssertions attempt = new SoftAssertions();
            attempt.assertThat(link.group(1)).as("the first attempt is attempt 1; the job as stored after it: %s", stored)
                    .isEqualTo("1");
            attempt.assertThat(delivery.path("mode").isNull() ? null : delivery.path("mode").asText())
                    .as("a delivery runs in the server's mode").isEqualTo(mode.label());
            attempt.assertAll();
        }

        private static String accept(Server server) {
            HttpResponse<String> r = Http.postJson(uri(server, "/email"),
                    "{\"to\": \"ana@example.com\", \"subject\": \"held\", \"body\": \"held at DATA\"}", "X-Request-Id", REQUEST_ID);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(r.headers().firstValue("x-request-id")).hasValue(REQUEST_ID);
            return stringField(r.body(), "id");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the view

    /** {@code GET /debug/tasks{query}} on the admin listener: 200, JSON, valid against the schema. */
    static JsonNode view(Server server, String query) {
        return readValid(admin(server, "/debug/tasks" + query));
    }

    /** {@code GET /debug/tasks/{id}}: 200, JSON, valid against the schema. */
    static JsonNode where(Server server, long id) {
        return readValid(admin(server, "/debug/tasks/" + id));
    }

    private static URI uri(Server server, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private static URI admin(Server server, String pathAndQuery) {
        assertThat(server.adminPort()).as("the server has an admin listener").isPositive();
        return URI.create("http://127.0.0.1:" + server.adminPort() + pathAndQuery);
    }

    private static JsonNode readValid(URI uri) {
        HttpResponse<String> r = Http.get(uri);
        assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).as(uri.toString()).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode node;
        try {
            node = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(uri + " answered no JSON: " + r.body(), e);
        }
        assertThat(SCHEMA.validate(node)).as("%s against tasks.schema.json:%n%s", uri, node.toPrettyString()).isEmpty();
        return node;
    }

    /**
     * Reads the view until a root {@code which} selects is there and passes {@code check}; returns
     * that root as the passing read showed it.
     */
    static JsonNode awaitRoot(Server server, String query, Predicate<JsonNode> which, Consumer<JsonNode> check) {
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        AtomicReference<JsonNode> lastPage = new AtomicReference<>();
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        try {
            await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
                try {
                    JsonNode page = view(server, query);
                    lastPage.set(page);
                    assertThat(page.path("view").asText()).isEqualTo("live");
                    JsonNode root = roots(page).filter(which).findFirst()
                            .orElseThrow(() -> new AssertionError("no such root yet"));
                    check.accept(root);
                    seen.set(root);
                } catch (Throwable t) {
                    lastFailure.set(t);
                    throw t;
                }
            });
        } catch (ConditionTimeoutException e) {
            JsonNode page = lastPage.get();
            AssertionError failure = new AssertionError("the view never showed what was expected within " + PATIENCE.toSeconds()
                    + " s; last failure: " + lastFailure.get() + "\nlast page read: " + (page == null ? "none" : page.toPrettyString()), e);
            throw failure;
        }
        return seen.get();
    }

    static java.util.stream.Stream<JsonNode> roots(JsonNode page) {
        return StreamSupport.stream(page.path("tasks").spliterator(), false);
    }

    static List<JsonNode> children(JsonNode task) {
        List<JsonNode> out = new ArrayList<>();
        task.path("children").forEach(out::add);
        return out;
    }

    static Predicate<JsonNode> requestId(String id) {
        return t -> id.equals(t.at("/request/id").asText(null));
    }

    static Predicate<JsonNode> named(String name) {
        return t -> name.equals(t.path("name").asText(null));
    }

    /** The thread a request's body runs on: the connection's loop, a pool thread, or a virtual thread of its own. */
    private static void assertRequestThread(Mode mode, JsonNode thread) {
        switch (mode) {
            case ASYNC -> {
                assertThat(thread.path("kind").asText()).isEqualTo("event_loop");
                assertThat(thread.path("name").asText()).matches("event-loop-\\d+");
            }
            case BLOCKING -> {
                assertThat(thread.path("kind").asText()).isEqualTo("platform");
                assertThat(thread.path("name").asText()).matches("blocking-\\d+");
            }
            case VIRTUAL -> {
                assertThat(thread.path("kind").asText()).isEqualTo("virtual");
                assertThat(thread.path("name").asText()).matches("virtual-\\d+");
            }
        }
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(Server server, String target, String requestId) {
        HttpRequest request = HttpRequest.newBuilder(uri(server, target)).timeout(Duration.ofSeconds(60))
                .header("X-Request-Id", requestId).GET().build();
        return CompletableFuture.supplyAsync(() -> Http.send(request));
    }

    private static JsonSchema schema() {
        try (InputStream in = TaskViewDependenciesTest.class.getResourceAsStream("/tasks.schema.json")) {
            assertThat(in).as("tasks.schema.json on the classpath").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fixtures that hold their answer until the test lets it go

    /** Something outside the server that holds its answers until {@link #release}. */
    interface Held extends AutoCloseable {
        /** Answers what is held, and everything after it at once. */
        void release();

        @Override
        void close();
    }

    /** An upstream whose {@code /sleep} holds every request until released (at most a minute), then answers 200. */
    static final class HeldUpstream implements Held {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "held-upstream");
            t.setDaemon(true);
            return t;
        });
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger arrived = new AtomicInteger();

        HeldUpstream() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            server.createContext("/sleep", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    arrived.incrementAndGet();
                    try {
                        released.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    byte[] body = "{\"slept\":true}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.setExecutor(threads);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** Requests that reached {@code /sleep}. */
        int arrived() {
            return arrived.get();
        }

        @Override
        public void release() {
            released.countDown();
        }

        @Override
        public void close() {
            release();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /**
     * An SMTP server that takes a message and holds its reply to the message (the one after
     * {@code DATA}'s closing dot) until released, at most a minute: a relay that is slow to accept.
     */
    static final class HeldSmtpServer implements Held {
        private final ServerSocket socket;
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger held = new AtomicInteger();

        HeldSmtpServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(this::acceptLoop, "held-smtp");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        /** Messages whose reply is (or was) held. */
        int messagesHeld() {
            return held.get();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread session = new Thread(() -> converse(client), "held-smtp-session");
                    session.setDaemon(true);
                    session.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void converse(Socket client) {
            try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
                OutputStream out = client.getOutputStream();
                reply(out, "220 held ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                    switch (verb) {
                        case "EHLO", "HELO" -> reply(out, "250 held");
                        case "DATA" -> {
                            reply(out, "354 go ahead");
                            String data;
                            while ((data = in.readLine()) != null && !data.equals(".")) {
                                // the message itself is of no interest here
                            }
                            held.incrementAndGet();
                            released.await(60, TimeUnit.SECONDS);
                            reply(out, "250 OK queued");
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            return;
                        }
                        default -> reply(out, "250 OK");
                    }
                }
            } catch (IOException | InterruptedException ended) {
                // the client went away, or the test is over
            }
        }

        private static void reply(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void release() {
            released.countDown();
        }

        @Override
        public void close() {
            release();
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
