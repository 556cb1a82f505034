package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.stringField;
import static dev.asyncprod.server.support.TaskViews.PATIENCE;
import static dev.asyncprod.server.support.TaskViews.POLL;
import static dev.asyncprod.server.support.TaskViews.awaitRoot;
import static dev.asyncprod.server.support.TaskViews.children;
import static dev.asyncprod.server.support.TaskViews.named;
import static dev.asyncprod.server.support.TaskViews.requestId;
import static dev.asyncprod.server.support.TaskViews.roots;
import static dev.asyncprod.server.support.TaskViews.uri;
import static dev.asyncprod.server.support.TaskViews.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.HeldSmtpServer;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.TaskViews;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live task view ({@code GET /debug/tasks} on the admin listener) while an email delivery
 * waits on an SMTP server that holds its reply to the message, in every mode: the delivery is a
 * root of its own, linked to the request that accepted it, until the mail server answers; then it
 * is in the finished ring. Every JSON answer read is checked against {@code tasks.schema.json}.
 */
class TaskViewDeliveryTest {

    private static final String REQUEST_ID = "email-test-1";
    private static final Pattern ACCEPTED_BY =
            Pattern.compile("attempt (\\d+), accepted by request " + REQUEST_ID + " POST /email \\(task #(\\d+)\\)");

    private final TaskViews.Servers servers = new TaskViews.Servers();

    @AfterEach
    void stop() {
        servers.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void isARootLinkedToTheRequestThatAcceptedItUntilTheMailServerAnswers(Mode mode) throws Exception {
        HeldSmtpServer smtp = servers.hold(new HeldSmtpServer());
        Server server = servers.start(mode, "--smtp=127.0.0.1:" + smtp.port());

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
            case VIRTUAL, VIRTUAL_LOOP -> { // a delivery belongs to no connection: the JDK's scheduler in both
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
