package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.TaskViews.awaitRoot;
import static dev.asyncprod.server.support.TaskViews.children;
import static dev.asyncprod.server.support.TaskViews.getAsync;
import static dev.asyncprod.server.support.TaskViews.requestId;
import static dev.asyncprod.server.support.TaskViews.roots;
import static dev.asyncprod.server.support.TaskViews.view;
import static dev.asyncprod.server.support.TaskViews.where;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.PostgresExtension;
import dev.asyncprod.server.support.TaskViews;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live task view ({@code GET /debug/tasks} on the admin listener) while a request waits on a
 * query on a real PostgreSQL, in every mode: on its backend, then, for a second request, on a pool
 * of one. The query sleeps long enough for the view to be read while it lasts; then the finished
 * ring is read once both are answered. Every JSON answer read is checked against
 * {@code tasks.schema.json}. Skipped, saying why, where no PostgreSQL can be had.
 */
class TaskViewQueryTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    /** Long enough for the second request to be seen waiting behind the first, even on a slow machine. */
    private static final long HOLD_MS = 4000;
    private static final String TARGET = "/db/sleep?ms=" + HOLD_MS;

    private static String db;
    private final TaskViews.Servers servers = new TaskViews.Servers();

    @BeforeAll
    static void database() {
        db = postgres.newDatabase();
    }

    /** No query is left sleeping on the database, then the servers are stopped. */
    @AfterEach
    void stop() {
        try {
            postgres.execute(db, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                    + " AND pid <> pg_backend_pid()");
        } finally {
            servers.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void waitsOnItsBackendThenASecondOneOnThePool(Mode mode) throws Exception {
        Server server = servers.start(mode, "--db=" + db, "--db-pool=1", "--db-pool-wait=30s");

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
            case VIRTUAL_LOOP -> { // named after the loop that carries it
                assertThat(thread.path("kind").asText()).isEqualTo("virtual");
                assertThat(thread.path("name").asText()).matches("virtual-loop-\\d+-\\d+");
            }
        }
    }
}
