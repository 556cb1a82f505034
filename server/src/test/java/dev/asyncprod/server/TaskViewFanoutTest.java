package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.TaskViews.awaitRoot;
import static dev.asyncprod.server.support.TaskViews.children;
import static dev.asyncprod.server.support.TaskViews.getAsync;
import static dev.asyncprod.server.support.TaskViews.requestId;
import static dev.asyncprod.server.support.TaskViews.roots;
import static dev.asyncprod.server.support.TaskViews.view;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.HeldUpstream;
import dev.asyncprod.server.support.TaskViews;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live task view ({@code GET /debug/tasks} on the admin listener) while {@code /fanout} makes
 * two calls to an upstream that holds its answers until the test lets them go, in every mode: both
 * calls waiting at once, except in blocking mode, where the second is queued behind the first. The
 * finished ring is read once the calls are answered. Every JSON answer read is checked against
 * {@code tasks.schema.json}.
 */
class TaskViewFanoutTest {

    private final TaskViews.Servers servers = new TaskViews.Servers();

    @AfterEach
    void stop() {
        servers.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void waitOnTheUpstreamAtOnceExceptInBlockingModeWhereTheSecondIsQueued(Mode mode) throws Exception {
        HeldUpstream upstream = servers.hold(new HeldUpstream());
        Server server = servers.start(mode, "--upstream=http://127.0.0.1:" + upstream.port(),
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
