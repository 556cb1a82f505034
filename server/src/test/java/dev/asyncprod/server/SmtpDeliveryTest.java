package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Delivery over real SMTP (GreenMail in this JVM) through Netty's SMTP codec, in every mode. */
class SmtpDeliveryTest {

    @RegisterExtension
    static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes("--smtp-connections=4")
            .withLateArgs(() -> List.of("--smtp=127.0.0.1:" + mail.getSmtp().getPort()));

    @ParameterizedTest
    @EnumSource(Mode.class)
    void messageArrivesWithItsStableMessageIdAndUnicodeIntact(Mode mode) throws Exception {
        String subject = "Grüße, " + mode.label() + " – ✉ a subject long enough to need more than one encoded word";
        String body = "Hallo Ana,\n.\nA line with only a dot, and ünïcödé.\n";
        HttpResponse<String> r = Http.postJson(servers.uri(mode, "/email?wait=true"),
                "{\"to\": \"ana@example.com\", \"subject\": \"" + subject + "\", \"body\": \"" + body.replace("\n", "\\n") + "\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String messageId = stringField(r.body(), "message_id");
        MimeMessage received = Arrays.stream(mail.getReceivedMessages())
                .filter(m -> messageId.equals(messageIdOf(m)))
                .findFirst().orElseThrow(() -> new AssertionError("GreenMail has no message " + messageId));
        assertThat(received.getSubject()).isEqualTo(subject);
        assertThat(((String) received.getContent()).replace("\r\n", "\n")).isEqualTo(body);
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("ana@example.com");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void backgroundJobsAreAllDelivered(Mode mode) {
        List<String> ids = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> Http.postJson(servers.uri(mode, "/email"),
                        "{\"to\": \"user" + i + "@example.com\", \"subject\": \"batch\", \"body\": \"n" + i + "\"}"))
                .peek(r -> assertThat(r.statusCode()).isEqualTo(202))
                .map(r -> stringField(r.body(), "id"))
                .toList();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> delivered = Arrays.stream(mail.getReceivedMessages()).map(SmtpDeliveryTest::messageIdOf).toList();
            assertThat(delivered).containsAll(ids.stream().map(id -> "<" + id + "@asyncprod.local>").toList());
        });
        for (String id : ids) {
            String job = Http.get(servers.uri(mode, "/jobs/" + id)).body();
            assertThat(stringField(job, "status")).isEqualTo("sent");
            assertThat(longField(job, "attempts")).isEqualTo(1);
        }
    }

    static String messageIdOf(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
