package dev.asyncprod.server.endpoints;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.server.email.Accepted;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.EmailService;
import dev.asyncprod.server.email.InvalidEmailException;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.http.AsyncContext;
import dev.asyncprod.server.http.BlockingContext;
import dev.asyncprod.server.http.Endpoint;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /email}: the slow side effect, "sending an email takes a second". The job is stored
 * durably, then answered 202 with {@code Location: /jobs/{id}}; delivery happens in the
 * background. With {@code ?wait=true} the answer waits for this attempt: 200 sent, 502 failed for
 * good, 202 if a transient failure left it queued for a retry. Async holds no thread while it
 * waits; blocking holds its pool thread for the whole SMTP exchange.
 */
public final class EmailEndpoint implements Endpoint<EmailEndpoint.Params> {

    /** Stripe's limit for idempotency keys; a UUID needs 36. */
    static final int MAX_KEY = 255;
    private static final Set<String> FIELDS = Set.of("to", "subject", "body");

    /** A validated request: the email, the caller's idempotency key (or null) and whether to wait. */
    public record Params(EmailRequest email, String idempotencyKey, boolean waitForDelivery) {
    }

    record Queued(String id, String status) {
    }

    private final EmailService email;

    public EmailEndpoint(EmailService email) {
        this.email = email;
        // Loads Jackson's parsing classes now, on the thread that builds the routes. Cold, that takes
        // about half a second, which the first POST /email would otherwise spend on an event loop.
        readBody("{\"to\": \"a@b.example\", \"subject\": \"s\", \"body\": \"b\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Params parse(Request request) {
        boolean wait = request.query().optionalBoolean("wait");
        String key = request.headers().get("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_KEY)) {
            throw HttpError.badParameter("Idempotency-Key must be 1 to " + MAX_KEY + " characters");
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "POST /email takes Content-Type: application/json, got '" + type + "'", Map.of());
        }
        try {
            return new Params(readBody(request.body()), key, wait);
        } catch (InvalidEmailException e) {
            throw invalid(e.getMessage());
        }
    }

    /** {@code {"to": ..., "subject": ..., "body": ...}}, nothing else, each a string; then the email's own rules. */
    private static EmailRequest readBody(byte[] body) {
        JsonNode root;
        try {
            root = Json.read(body);
        } catch (JacksonException e) {
            throw invalid("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("the body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("the body must be a JSON object with to, subject and body");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid("unknown field '" + name + "'; expected to, subject and body");
            }
        }
        return EmailRequest.of(text(root, "to"), text(root, "subject"), text(root, "body"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null; // the email's rules say it is required
        }
        if (!node.isTextual()) {
            throw invalid("'" + field + "' must be a string");
        }
        return node.textValue();
    }

    private static HttpError invalid(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_email", message, Map.of());
    }

    @Override
    public CompletableFuture<Response> handleAsync(Params p, AsyncContext ctx) {
        return email.submit(p.email(), p.idempotencyKey(), p.waitForDelivery())
                .handle((accepted, failure) -> answer(accepted, failure, p.waitForDelivery()));
    }

    @Override
    public Response handleBlocking(Params p, BlockingContext ctx) throws InterruptedException {
        try {
            return answer(email.submitBlocking(p.email(), p.idempotencyKey(), p.waitForDelivery()), null,
                    p.waitForDelivery());
        } catch (CompletionException e) {
            return answer(null, e, p.waitForDelivery());
        }
    }

    private static Response answer(Accepted accepted, Throwable failure, boolean waited) {
        if (failure != null) {
            throw DependencyFailures.toHttp(failure);
        }
        if (accepted.outcome() == Outcome.KEY_REUSED) {
            throw new HttpError(HttpResponseStatus.UNPROCESSABLE_ENTITY, "idempotency_key_reused",
                    "this Idempotency-Key was first used for a different email (job " + accepted.job().id()
                            + "); use a new key for a new email", Map.of());
        }
        JobStatus status = accepted.job().status();
        HttpResponseStatus code = !waited ? HttpResponseStatus.ACCEPTED : switch (status) {
            case SENT -> HttpResponseStatus.OK;
            case FAILED -> HttpResponseStatus.BAD_GATEWAY;
            default -> HttpResponseStatus.ACCEPTED;
        };
        Object body = waited ? JobJson.of(accepted.job()) : new Queued(accepted.job().id(), status.label());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", "/jobs/" + accepted.job().id());
        if (accepted.outcome() == Outcome.REPLAYED) {
            headers.put("Idempotent-Replayed", "true"); // the header Stripe uses for the same thing
        }
        return Response.json(code, body).withHeaders(headers);
    }
}
