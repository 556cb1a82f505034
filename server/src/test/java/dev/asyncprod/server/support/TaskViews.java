package dev.asyncprod.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.asyncprod.server.Server;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.config.ServerCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reading the live task view ({@code GET /debug/tasks} on a server's admin listener) as its user
 * does: every JSON answer checked against {@code tasks.schema.json}, roots picked out of a page and
 * awaited until they show what a test expects; and {@link Servers}, the servers a test starts to
 * read it on, stopped after the test together with what they wait on.
 */
public final class TaskViews {

    /** Generous: two busy cores, a JVM that may be warming up, a database that may be starting a backend. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    public static final Duration POLL = Duration.ofMillis(100);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = loadSchema();
    /** ServerExtension's range for admin listeners: far from the ephemeral ports clients' sockets take. */
    private static final String ADMIN_PORTS = "--admin-port=21000-21999";

    private TaskViews() {
    }

    // ---------------------------------------------------------------------------------------------
    // The schema

    /** {@code tasks.schema.json}, from the class path, loaded once. */
    public static JsonSchema schema() {
        return SCHEMA;
    }

    /** Asserts that {@code node} is valid against the schema; returns it. */
    public static JsonNode valid(JsonNode node) {
        return valid("the answer", node);
    }

    /** Parses a view's answer as JSON and asserts that it is valid against the schema. */
    public static JsonNode parseValid(String body) {
        return valid("the answer", parse("the answer", body));
    }

    /** {@code GET uri}: asserts 200, JSON, valid against the schema; returns the JSON. */
    public static JsonNode readValid(URI uri) {
        HttpResponse<String> r = Http.get(uri);
        assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).as(uri.toString()).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return valid(uri.toString(), parse(uri.toString(), r.body()));
    }

    private static JsonNode parse(String what, String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(what + " is no JSON: " + body, e);
        }
    }

    private static JsonNode valid(String what, JsonNode node) {
        assertThat(SCHEMA.validate(node)).as("%s against tasks.schema.json:%n%s", what, node.toPrettyString()).isEmpty();
        return node;
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = TaskViews.class.getResourceAsStream("/tasks.schema.json")) {
            assertThat(in).as("tasks.schema.json on the class path").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // A server's listeners

    /** A URI on the server's public port. */
    public static URI uri(Server server, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    /** A URI on the server's admin listener, which it must have. */
    public static URI admin(Server server, String pathAndQuery) {
        assertThat(server.adminPort()).as("the server has an admin listener").isPositive();
        return URI.create("http://127.0.0.1:" + server.adminPort() + pathAndQuery);
    }

    /** {@code GET target} on the public port with an {@code X-Request-Id}, not waited for here. */
    public static CompletableFuture<HttpResponse<String>> getAsync(Server server, String target, String requestId) {
        HttpRequest request = HttpRequest.newBuilder(uri(server, target)).timeout(Duration.ofSeconds(60))
                .header("X-Request-Id", requestId).GET().build();
        return Http.sendAsync(request);
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the view

    /** {@code GET /debug/tasks{query}} on the admin listener: 200, JSON, valid against the schema. */
    public static JsonNode view(Server server, String query) {
        return readValid(admin(server, "/debug/tasks" + query));
    }

    /** {@code GET /debug/tasks/{id}}: 200, JSON, valid against the schema. */
    public static JsonNode where(Server server, long id) {
        return readValid(admin(server, "/debug/tasks/" + id));
    }

    /** Reads the live view until a root {@code which} selects passes {@code check}; returns it as that read showed it. */
    public static JsonNode awaitRoot(Server server, String query, Predicate<JsonNode> which, Consumer<JsonNode> check) {
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
            throw new AssertionError("the view never showed what was expected within " + PATIENCE.toSeconds()
                    + " s; last failure: " + lastFailure.get() + "\nlast page read: " + (page == null ? "none" : page.toPrettyString()), e);
        }
        return seen.get();
    }

    /** The roots of a page, in its order. */
    public static Stream<JsonNode> roots(JsonNode page) {
        return StreamSupport.stream(page.path("tasks").spliterator(), false);
    }

    /** A task's children, in the view's order. */
    public static List<JsonNode> children(JsonNode task) {
        List<JsonNode> out = new ArrayList<>();
        task.path("children").forEach(out::add);
        return out;
    }

    /** Selects the request root whose {@code X-Request-Id} is {@code id}. */
    public static Predicate<JsonNode> requestId(String id) {
        return t -> id.equals(t.at("/request/id").asText(null));
    }

    /** Selects the task named {@code name}. */
    public static Predicate<JsonNode> named(String name) {
        return t -> name.equals(t.path("name").asText(null));
    }

    // ---------------------------------------------------------------------------------------------
    // Servers to read it on

    /**
     * The servers a test started (each with an admin listener and a data directory of its own) and
     * the {@link Held} fixtures they wait on. {@link #close}, in a test's {@code @AfterEach}, lets
     * go of what is held, so nothing a server waits on stays held while it drains, then stops the
     * servers, then closes the fixtures.
     */
    public static final class Servers implements AutoCloseable {

        private final List<Server> started = new ArrayList<>();
        private final List<Held> fixtures = new ArrayList<>();

        /** Starts a server in {@code mode} on ephemeral ports, with an admin listener, and more {@code flags}. */
        public Server start(Mode mode, String... flags) throws Exception {
            List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--port=0", "--mode=" + mode.label(),
                    "--data-dir=" + Files.createTempDirectory("asyncprod-tasks-"), "--access-log=off", ADMIN_PORTS));
            args.addAll(List.of(flags));
            Server server = Server.start(ServerCommand.parse(args.toArray(String[]::new)));
            started.add(server);
            return server;
        }

        /** Takes {@code fixture} to release and close after the test; returns it. */
        public <T extends Held> T hold(T fixture) {
            fixtures.add(fixture);
            return fixture;
        }

        @Override
        public void close() {
            fixtures.forEach(Held::release);
            started.forEach(Server::close);
            fixtures.forEach(Held::close);
        }
    }
}
