package dev.asyncprod.server;

import static dev.asyncprod.server.support.TaskViews.parseValid;
import static dev.asyncprod.server.support.TaskViews.requestId;
import static dev.asyncprod.server.support.TaskViews.roots;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live task view as a user reads it on the admin listener: the seed's sleeper made visible in
 * every mode, over HTTP/1.1 and HTTP/2, every answer valid against {@code tasks.schema.json}; the
 * view is not on the public port, and a token keeps it closed.
 */
class TaskViewTest {

    @Nested
    class EveryMode {
        @RegisterExtension
        static final ServerExtension servers = ServerExtension.allModes();

        /** The root of the request with id {@code requestId} in the live view, once it has {@code children} children. */
        private JsonNode awaitRoot(Mode mode, String requestId, int children) {
            return awaitRoot(mode, requestId, children, root -> { });
        }

        /** ... once {@code settled} holds of it too: a thread starts a child a moment after it is registered. */
        private JsonNode awaitRoot(Mode mode, String requestId, int children, Consumer<JsonNode> settled) {
            JsonNode[] found = new JsonNode[1];
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode page = parseValid(Http.get(servers.adminUri(mode, "/debug/tasks?path=/gather")).body());
                JsonNode root = roots(page).filter(requestId(requestId)).findFirst().orElse(null);
                assertThat(root).as("request %s in the live view", requestId).isNotNull();
                assertThat(root.get("children")).hasSize(children);
                settled.accept(root);
                found[0] = root;
            });
            return found[0];
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void theSleeperIsATreeOfWaitingTasksThenAFinishedRequest(Mode mode) throws Exception {
            String id = "sleeper-" + mode.label();
            try (Socket client = new Socket("127.0.0.1", servers.server(mode).port())) {
                send(client, "GET /gather?ms=60000,60000 HTTP/1.1\r\nHost: t\r\nX-Request-Id: " + id + "\r\n\r\n");

                JsonNode root = awaitRoot(mode, id, 2, r -> {
                    assertThat(r.get("state").asText()).isEqualTo("waiting");
                    assertThat(r.get("children").get(0).get("state").asText()).isEqualTo("waiting");
                    assertThat(r.get("children").get(1).get("state").asText()).isEqualTo(mode == Mode.BLOCKING ? "queued" : "waiting");
                });
                assertThat(root.get("kind").asText()).isEqualTo("request");
                assertThat(root.get("name").asText()).isEqualTo("GET /gather?ms=60000,60000");
                assertThat(root.get("mode").asText()).isEqualTo(mode.label());
                assertThat(root.get("request").get("protocol").asText()).isEqualTo("HTTP/1.1");
                assertThat(root.get("request").get("trace_id").asText()).hasSize(32);
                assertThat(root.get("state").asText()).isEqualTo("waiting");
                assertThat(root.get("thread").get("kind").asText())
                        .isEqualTo(mode == Mode.ASYNC ? "event_loop" : mode == Mode.BLOCKING ? "platform" : "virtual");
                JsonNode first = root.get("children").get(0);
                JsonNode second = root.get("children").get(1);
                for (JsonNode child : List.of(first, second)) {
                    assertThat(child.get("kind").asText()).isEqualTo("sleeper");
                    assertThat(child.get("parent_id").asLong()).isEqualTo(root.get("id").asLong());
                }
                assertThat(first.get("name").asText()).isEqualTo("task-1");
                assertThat(first.get("state").asText()).isEqualTo("waiting");
                assertThat(first.get("waiting_on").asText()).matches("timer, due in [0-9,]+ ms");
                if (mode == Mode.BLOCKING) {
                    // One thread runs the children in turn: the parent waits on the first, the second has not started.
                    assertThat(root.get("waiting_on").asText()).isEqualTo("sleeper task-1, on this thread");
                    assertThat(second.get("state").asText()).isEqualTo("queued");
                    assertThat(first.get("thread").get("name").asText()).startsWith("blocking-");
                    assertThat(first.get("cpu_us").isNumber()).as("a platform thread's CPU time").isTrue();
                } else {
                    assertThat(root.get("waiting_on").asText()).isEqualTo("its children (2 not done)");
                    assertThat(second.get("state").asText()).isEqualTo("waiting");
                    assertThat(second.get("waiting_on").asText()).matches("timer, due in [0-9,]+ ms");
                    assertThat(first.get("cpu_us").isNull()).as("no CPU time is invented for loops and virtual threads").isTrue();
                }
                if (mode == Mode.VIRTUAL || mode == Mode.VIRTUAL_LOOP) {
                    assertThat(first.get("thread").get("kind").asText()).isEqualTo("virtual");
                    assertThat(first.get("thread").get("name").asText())
                            .isNotEqualTo(second.get("thread").get("name").asText());
                }
                long age = root.get("age_ms").asLong();
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        awaitRoot(mode, id, 2).get("age_ms").asLong() > age);

                // Where the sleeper is: a thread's stack in the threaded modes, a future with its stages in async.
                JsonNode where = parseValid(Http.get(servers.adminUri(mode, "/debug/tasks/" + first.get("id").asLong())).body());
                assertThat(where.get("task").get("id").asLong()).isEqualTo(first.get("id").asLong());
                if (mode == Mode.ASYNC) {
                    assertThat(where.get("where").get("future").get("done").asBoolean()).isFalse();
                    assertThat(where.get("where").get("future").get("dependent_stages").asInt()).isPositive();
                } else {
                    assertThat(where.get("where").get("thread_state").asText()).isEqualTo("TIMED_WAITING");
                    assertThat(where.get("where").get("stack").toString()).contains("Thread.sleep", "GatherEndpoint");
                }
            }
            // The client went away: the request leaves the live view for the ring, cancelled, and says why.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode finished = parseValid(Http.get(servers.adminUri(mode, "/debug/tasks?finished=true&path=/gather")).body());
                JsonNode root = roots(finished).filter(requestId(id)).findFirst().orElse(null);
                assertThat(root).isNotNull();
                assertThat(root.get("state").asText()).isEqualTo("done");
                assertThat(root.get("outcome").get("cancelled").asText()).isEqualTo("client disconnected");
            });
            JsonNode live = parseValid(Http.get(servers.adminUri(mode, "/debug/tasks?path=/gather")).body());
            assertThat(live.get("tasks").toString()).doesNotContain(id);
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void aRequestOverHttp2NamesItsStream(Mode mode) throws Exception {
            Path out = Files.createTempFile("h2-", ".txt");
            String url = "http://127.0.0.1:" + servers.server(mode).port() + "/gather?ms=30000";
            Process curl = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "-H", "X-Request-Id: h2-" + mode.label(), url)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                JsonNode root = awaitRoot(mode, "h2-" + mode.label(), 1);
                assertThat(root.get("request").get("protocol").asText()).isEqualTo("HTTP/2");
                assertThat(root.get("request").get("connection").asText()).containsPattern("stream \\d+");
                assertThat(root.get("children").get(0).get("kind").asText()).isEqualTo("sleeper");
            } finally {
                curl.destroy();
                assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        }

        @ParameterizedTest
        @EnumSource(Mode.class)
        void theTreeReadsLikePstree(Mode mode) throws Exception {
            String id = "tree-" + mode.label();
            try (Socket client = new Socket("127.0.0.1", servers.server(mode).port())) {
                send(client, "GET /gather?ms=60000,60000 HTTP/1.1\r\nHost: t\r\nX-Request-Id: " + id + "\r\n\r\n");
                awaitRoot(mode, id, 2, r -> assertThat(r.get("children").get(0).get("state").asText()).isEqualTo("waiting"));
                String tree = Http.get(servers.adminUri(mode, "/debug/tasks?format=tree&path=/gather")).body();
                assertThat(tree).startsWith("mode " + mode.label() + ", live view: ")
                        .containsPattern("#\\d+ request GET /gather\\?ms=60000,60000  waiting: ")
                        .containsPattern("├─ #\\d+ sleeper task-1  waiting: timer, due in ")
                        .containsPattern("└─ #\\d+ sleeper task-2  (waiting: timer|queued: a thread to start on)")
                        .contains("request " + id + "]");
            }
        }

        @Test
        void theViewIsNotOnThePublicPortAndRefusesBadFilters() throws Exception {
            assertThat(Http.get(servers.uri(Mode.ASYNC, "/debug/tasks")).statusCode()).isEqualTo(404);
            for (String bad : List.of("state=sleepy", "kind=thread", "limit=0", "limit=1001", "min_age=-1", "path=gather",
                    "format=xml", "colour=red")) {
                var answer = Http.get(servers.adminUri(Mode.ASYNC, "/debug/tasks?" + bad));
                assertThat(answer.statusCode()).as(bad).isEqualTo(400);
                assertThat(answer.body()).contains("\"type\":\"/problems/bad_parameter\"");
            }
            assertThat(Http.get(servers.adminUri(Mode.ASYNC, "/debug/tasks/999999999")).statusCode()).isEqualTo(404);
            assertThat(Http.get(servers.adminUri(Mode.ASYNC, "/debug/tasks/abc")).statusCode()).isEqualTo(400);
            assertThat(Http.get(servers.uri(Mode.ASYNC, "/metrics")).body())
                    .containsPattern("tasks_live \\d")
                    .contains("tasks_lints_total{lint=\"orphan\"");
        }
    }

    @Nested
    class WithAToken {
        @RegisterExtension
        static final ServerExtension server = ServerExtension.of(Mode.ASYNC, "--admin-token=s3cret-token");

        @Test
        void aMissingOrWrongTokenIs401AndTheRightOneOpensTheView() {
            var missing = Http.get(server.adminUri(Mode.ASYNC, "/debug/tasks"));
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"admin\"");
            assertThat(missing.body()).contains("\"type\":\"/problems/unauthorized\"");
            var wrong = Http.send(HttpRequest.newBuilder(server.adminUri(Mode.ASYNC, "/debug/tasks"))
                    .header("Authorization", "Bearer s3cret-tokeN").build());
            assertThat(wrong.statusCode()).isEqualTo(401);
            var right = Http.send(HttpRequest.newBuilder(server.adminUri(Mode.ASYNC, "/debug/tasks"))
                    .header("Authorization", "Bearer s3cret-token").build());
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).contains("\"schema_version\":1");
        }
    }

    private static void send(Socket client, String request) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
