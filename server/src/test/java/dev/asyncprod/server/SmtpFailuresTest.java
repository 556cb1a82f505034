package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ScriptedSmtpServer;
import dev.asyncprod.server.support.ServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transient SMTP failures are retried with backoff, permanent ones fail the job, and the caller can see which. */
class SmtpFailuresTest {

    static final ScriptedSmtpServer smtp = new ScriptedSmtpServer();

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.of(Mode.ASYNC, "--email-retry-base=50ms",
            "--email-max-attempts=4", "--smtp=127.0.0.1:" + smtp.port());

    @RegisterExtension
    static final ServerExtension unreachable = ServerExtension.of(Mode.BLOCKING, "--email-retry-base=50ms",
            "--email-max-attempts=3", "--smtp-timeout=2s", "--smtp=127.0.0.1:" + closedPort());

    @AfterAll
    static void stopSmtp() throws IOException {
        smtp.close();
    }

    @Test
    void transientRepliesAreRetriedUntilTheMessageIsAccepted() {
        smtp.replyToRecipients("451 4.3.0 try again later", "421 4.7.0 too busy");

        HttpResponse<String> r = Http.postJson(servers.uri(Mode.ASYNC, "/email"), email("retry@example.com"));
        String id = stringField(r.body(), "id");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String job = Http.get(servers.uri(Mode.ASYNC, "/jobs/" + id)).body();
            assertThat(stringField(job, "status")).isEqualTo("sent");
            assertThat(longField(job, "attempts")).isEqualTo(3);
            assertThat(stringField(job, "last_error")).startsWith("421 4.7.0 too busy");
        });
        assertThat(smtp.acceptedMessageIds()).containsOnlyOnce("<" + id + "@asyncprod.local>");
    }

    @Test
    void oneConnectionCarriesMessageAfterMessage() {
        int before = smtp.connections();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = Http.postJson(servers.uri(Mode.ASYNC, "/email?wait=true"), email("reuse" + i + "@example.com"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        // Ten messages one after another: the idle connection is reused, not one opened per message.
        assertThat(smtp.connections() - before).isLessThanOrEqualTo(2);
        assertThat(Http.get(servers.uri(Mode.ASYNC, "/metrics")).body()).containsPattern("email_smtp_connections_open\\{[^}]*} [12]\\.0");
    }

    @Test
    void permanentReplyFailsTheJobAtOnceAndWaitTrueSays502() {
        smtp.replyToRecipients("550 5.1.1 no such user");
        int attemptsBefore = smtp.recipientAttempts();

        HttpResponse<String> r = Http.postJson(servers.uri(Mode.ASYNC, "/email?wait=true"), email("nobody@example.com"));

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(stringField(r.body(), "status")).isEqualTo("failed");
        assertThat(stringField(r.body(), "last_error")).startsWith("550 5.1.1 no such user");
        assertThat(longField(r.body(), "attempts")).isEqualTo(1);
        assertThat(smtp.recipientAttempts()).isEqualTo(attemptsBefore + 1); // not retried
    }

    @Test
    void unreachableServerIsRetriedThenReportedAsFailed() {
        HttpResponse<String> r = Http.postJson(unreachable.uri(Mode.BLOCKING, "/email?wait=true"), email("x@example.com"));
        assertThat(r.statusCode()).isEqualTo(202); // a transient failure: queued for the background retries
        String id = stringField(r.body(), "id");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String job = Http.get(unreachable.uri(Mode.BLOCKING, "/jobs/" + id)).body();
            assertThat(stringField(job, "status")).isEqualTo("failed");
            assertThat(longField(job, "attempts")).isEqualTo(3);
            assertThat(stringField(job, "last_error")).startsWith("gave up after 3 attempts: cannot connect");
        });
    }

    private static String email(String to) {
        return "{\"to\": \"" + to + "\", \"subject\": \"s\", \"body\": \"b\"}";
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // free now, and nothing listens there during the test
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
