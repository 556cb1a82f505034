package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.config.ServerCommand;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.PostgresExtension;
import java.io.OutputStream;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code /db}, {@code /db?queries=N} and {@code /db/sleep} in every mode against a real
 * PostgreSQL: the rows' shape, the bounds, a pool that runs out (503 while {@code /hello} goes on
 * answering), an outage and the recovery, and cancellation reaching the database, seen from
 * {@code pg_stat_activity}. The test JVM runs BlockHound, so async mode's use of the driver is
 * checked for blocking calls on the event loops too.
 */
class DatabaseEndpointsTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String db;
    private final List<Server> started = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = postgres.newDatabase();
    }

    @AfterEach
    void stop() {
        started.forEach(Server::close);
        // Each test starts with no query left sleeping in the database, whatever the one before did.
        postgres.execute(db, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                + " AND pid <> pg_backend_pid()");
    }

    private Server server(Mode mode, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host=127.0.0.1", "--port=0", "--mode=" + mode.label(),
                "--data-dir=" + Files.createTempDirectory("asyncprod-db-"), "--access-log=off", "--admin-port=0"));
        if (List.of(flags).stream().noneMatch(f -> f.startsWith("--db="))) {
            args.add("--db=" + db);
        }
        args.addAll(List.of(flags));
        Server server = Server.start(ServerCommand.parse(args.toArray(String[]::new)));
        started.add(server);
        return server;
    }

    private static URI uri(Server server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static long sleepingQueries() {
        return postgres.queryLong(db, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                + " AND query LIKE 'SELECT pg_sleep%'");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rowsHaveTechEmpowersShapeAndQueriesItsBounds(Mode mode) throws Exception {
        Server server = server(mode);

        JsonNode one = JSON.readTree(Http.get(uri(server, "/db")).body());
        assertThat(one.get("id").asInt()).isBetween(1, 10_000);
        assertThat(one.get("randomNumber").asInt()).isBetween(1, 10_000);
        assertThat(one.size()).isEqualTo(2);

        HttpResponse<String> twenty = Http.get(uri(server, "/db?queries=20"));
        assertThat(twenty.statusCode()).isEqualTo(200);
        JsonNode rows = JSON.readTree(twenty.body());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(20).allSatisfy(row -> assertThat(row.get("randomNumber").asInt()).isBetween(1, 10_000));
        assertThat(JSON.readTree(Http.get(uri(server, "/db?queries=500")).body())).hasSize(500);

        for (String bad : List.of("0", "501", "abc", "-1")) {
            assertProblem(Http.get(uri(server, "/db?queries=" + bad)), 400, "bad_parameter");
        }
        assertProblem(Http.get(uri(server, "/db/sleep?ms=60001")), 400, "bad_parameter");
        JsonNode slept = JSON.readTree(Http.get(uri(server, "/db/sleep?ms=100")).body());
        assertThat(slept.get("slept_ms").asLong()).isEqualTo(100);
        assertThat(slept.get("mode").asText()).isEqualTo(mode.label());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anExhaustedPoolIsA503AfterTheWaitWhileOtherRoutesKeepAnswering(Mode mode) throws Exception {
        Server server = server(mode, "--db-pool=2", "--db-pool-wait=500ms");
        List<CompletableFuture<HttpResponse<String>>> holders = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // both connections held for four seconds
            holders.add(Http.sendAsync(HttpRequest.newBuilder(uri(server, "/db/sleep?ms=4000")).timeout(Duration.ofSeconds(60)).build()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sleepingQueries() == 2);

        HttpResponse<String> refused = Http.get(uri(server, "/db"));
        assertProblem(refused, 503, "database_unavailable");
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        assertThat(Http.get(uri(server, "/hello")).statusCode()).isEqualTo(200);

        holders.forEach(h -> assertThat(join(h).statusCode()).isEqualTo(200));
        assertThat(Http.get(uri(server, "/db")).statusCode()).isEqualTo(200); // the pool is back
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRequestTimeoutCancelsTheQueryInTheDatabase(Mode mode) throws Exception {
        Server server = server(mode, "--request-timeout=1s");

        HttpResponse<String> timedOut = Http.get(uri(server, "/db/sleep?ms=30000"));

        assertProblem(timedOut, 504, "timeout");
        await().atMost(Duration.ofSeconds(10)).until(() -> sleepingQueries() == 0);
        assertThat(Http.get(uri(server, "/db")).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientThatGoesAwayCancelsTheQueryInTheDatabase(Mode mode) throws Exception {
        Server server = server(mode);
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            OutputStream out = client.getOutputStream();
            out.write("GET /db/sleep?ms=30000 HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> sleepingQueries() == 1);
        } // closed: nobody is waiting for the answer any more

        await().atMost(Duration.ofSeconds(10)).until(() -> sleepingQueries() == 0);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theDatabaseDownIsAFast503AndTheServerRecoversWithoutARestart(Mode mode) throws Exception {
        Server server = server(mode);
        assertThat(Http.get(uri(server, "/db")).statusCode()).isEqualTo(200);

        postgres.stop();
        try {
            long start = System.nanoTime();
            HttpResponse<String> down = Http.get(uri(server, "/db"));
            assertProblem(down, 503, "database_unavailable");
            assertThat(down.headers().firstValue("retry-after")).isPresent();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(Http.get(uri(server, "/hello")).statusCode()).isEqualTo(200);
            // Readiness says so within a probe period or two, from its own connection.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> ready = Http.get(uri(server, "/health/ready"));
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("\"database\":\"the database is unreachable");
            });
        } finally {
            postgres.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Http.get(uri(server, "/db")).statusCode()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(Http.get(uri(server, "/health/ready")).body()).contains("\"database\":\"UP\""));
    }

    @Test
    void withoutADatabaseTheRoutesSayHowToStartWithOne() throws Exception {
        Server server = server(Mode.ASYNC, "--db=none");

        HttpResponse<String> none = Http.get(uri(server, "/db"));

        assertProblem(none, 503, "no_database");
        assertThat(none.body()).contains("--db postgresql://").contains("--db embedded");
        assertProblem(Http.get(uri(server, "/db?queries=0")), 400, "bad_parameter"); // bad input is still 400 first
    }
}
