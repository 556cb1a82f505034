package dev.asyncprod.server;

import static dev.asyncprod.server.support.ProblemAssert.assertProblem;
import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code POST /email} against the built-in mailbox, in every mode: accepted, tracked, delivered, validated. */
class EmailTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes("--email-latency=100ms");

    private static final String EMAIL = """
            {"to": "ana@example.com", "subject": "Welcome", "body": "Hello Ana"}""";

    @ParameterizedTest
    @EnumSource(Mode.class)
    void acceptedJobIsQueuedThenDeliveredToTheMailbox(Mode mode) {
        HttpResponse<String> accepted = Http.postJson(servers.uri(mode, "/email"), EMAIL);

        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = stringField(accepted.body(), "id");
        assertThat(stringField(accepted.body(), "status")).isEqualTo("queued");
        assertThat(accepted.headers().firstValue("location")).hasValue("/jobs/" + id);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String job = Http.get(servers.uri(mode, "/jobs/" + id)).body();
            assertThat(stringField(job, "status")).isEqualTo("sent");
            assertThat(longField(job, "attempts")).isEqualTo(1);
        });
        assertThat(Http.get(servers.uri(mode, "/mailbox?limit=1000")).body())
                .contains("<" + id + "@asyncprod.local>");
        // Job lookups share one time series, whatever the id; the pump's own numbers are there too.
        assertThat(Http.get(servers.uri(mode, "/metrics")).body())
                .contains("route=\"/jobs/\"", "email_delivery_attempts_total{", "email_deliveries_in_flight{",
                        "email_delivery_seconds_bucket{")
                .doesNotContain("route=\"/jobs/" + id);
        // The queue's depth by status: counted every few seconds, not on the scrape.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Http.get(servers.uri(mode, "/metrics")).body())
                .containsPattern("email_jobs\\{mode=\"" + mode.label() + "\",status=\"sent\"} [1-9]")
                .containsPattern("email_delivery_seconds_count\\{mode=\"" + mode.label() + "\",outcome=\"sent\"} [1-9]"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void waitTrueAnswersAfterDelivery(Mode mode) {
        HttpResponse<String> r = Http.postJson(servers.uri(mode, "/email?wait=true"), EMAIL);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(stringField(r.body(), "status")).isEqualTo("sent");
        assertThat(stringField(r.body(), "message_id")).isEqualTo("<" + stringField(r.body(), "id") + "@asyncprod.local>");
        String job = Http.get(servers.uri(mode, "/jobs/" + stringField(r.body(), "id"))).body();
        assertThat(stringField(job, "status")).isEqualTo("sent");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void idempotencyKeyReturnsTheSameJobAndRefusesADifferentEmail(Mode mode) {
        String key = "order-42-welcome-" + mode.label();
        HttpResponse<String> first = Http.postJson(servers.uri(mode, "/email"), EMAIL, "Idempotency-Key", key);
        HttpResponse<String> retry = Http.postJson(servers.uri(mode, "/email"), EMAIL, "Idempotency-Key", key);
        HttpResponse<String> other = Http.postJson(servers.uri(mode, "/email"),
                EMAIL.replace("Hello Ana", "Hello Bob"), "Idempotency-Key", key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(stringField(retry.body(), "id")).isEqualTo(stringField(first.body(), "id"));
        assertThat(retry.headers().firstValue("idempotent-replayed")).hasValue("true");
        assertThat(first.headers().firstValue("idempotent-replayed")).isEmpty();
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(stringField(other.body(), "error")).isEqualTo("idempotency_key_reused");
        assertProblem(other, 422, "idempotency_key_reused");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void badInputIsAClearClientError(Mode mode) {
        assertError(mode, "not json", 400, "invalid_email");
        assertError(mode, "[1, 2]", 400, "invalid_email");
        assertError(mode, "{\"to\": \"ana@example.com\", \"subject\": \"x\"}", 400, "invalid_email");
        assertError(mode, "{\"to\": \"not-an-address\", \"subject\": \"x\", \"body\": \"y\"}", 400, "invalid_email");
        assertError(mode, "{\"to\": \"a@b.example\", \"subject\": \"x\\r\\nBcc: c@d.example\", \"body\": \"y\"}",
                400, "invalid_email");
        assertError(mode, "{\"to\": \"a@b.example\", \"subject\": \"x\", \"body\": 7}", 400, "invalid_email");
        assertError(mode, "{\"to\": \"a@b.example\", \"subject\": \"x\", \"body\": \"y\", \"cc\": \"z\"}", 400, "invalid_email");
        assertError(mode, "{\"to\": \"a@b.example\", \"subject\": \"x\", \"body\": \"" + "y".repeat(70_000) + "\"}",
                400, "invalid_email");

        HttpResponse<String> text = Http.send(HttpRequest.newBuilder(servers.uri(mode, "/email"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(EMAIL)).build());
        assertThat(text.statusCode()).isEqualTo(415);
        assertProblem(text, 415, "unsupported_media_type");
        assertThat(Http.postJson(servers.uri(mode, "/email?wait=maybe"), EMAIL).statusCode()).isEqualTo(400);
        assertThat(Http.get(servers.uri(mode, "/jobs/00000000-0000-0000-0000-000000000000")).statusCode()).isEqualTo(404);
        assertThat(Http.get(servers.uri(mode, "/jobs/../../etc/passwd")).statusCode()).isEqualTo(404);
        assertThat(Http.get(servers.uri(mode, "/email")).statusCode()).isEqualTo(405);
        assertThat(Http.get(servers.uri(mode, "/hello")).statusCode()).isEqualTo(200); // still serving
    }

    private static void assertError(Mode mode, String body, int status, String code) {
        HttpResponse<String> r = Http.postJson(servers.uri(mode, "/email"), body);
        assertThat(r.statusCode()).as(body).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(stringField(r.body(), "error")).isEqualTo(code);
        assertProblem(r, status, code);
    }
}
