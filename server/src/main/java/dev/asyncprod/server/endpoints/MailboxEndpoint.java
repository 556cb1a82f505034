package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.email.MailboxMailer;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import java.util.List;

/**
 * {@code GET /mailbox?limit=N}: what the built-in mailbox has received, newest first. Only routed
 * when no SMTP server is configured. Reads memory only, so it answers from the event loop.
 */
public final class MailboxEndpoint implements Endpoint.Immediate<Integer> {

    private final MailboxMailer mailbox;

    public MailboxEndpoint(MailboxMailer mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public Integer parse(Request request) {
        return (int) request.query().optionalLong("limit", 20, 0, 1_000);
    }

    @Override
    public Response answer(Integer limit) {
        List<Message> messages = mailbox.latest(limit).stream()
                .map(m -> new Message(m.messageId(), m.to(), m.subject(), m.deliveredAt().toString())).toList();
        return Response.json(new Mailbox(mailbox.deliveredCount(), mailbox.latency().toMillis(), messages));
    }

    /** What the mailbox received in all, its latency, and the latest messages, newest first. */
    record Mailbox(long delivered, long latencyMs, List<Message> messages) {
    }

    record Message(String messageId, String to, String subject, String deliveredAt) {
    }
}
