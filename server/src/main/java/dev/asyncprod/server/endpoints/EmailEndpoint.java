package dev.asyncprod.server.endpoints;

import dev.asyncprod.server.email.EmailRequest;
import dev.asyncprod.server.email.EmailService;
import dev.asyncprod.server.email.JobStatus;
import dev.asyncprod.server.email.JobStore.Accepted;
import dev.asyncprod.server.email.JobStore.Outcome;
import dev.asyncprod.server.email.JobStore.StoreBusyException;
import dev.asyncprod.server.http.ErrorMapper;
import dev.asyncprod.server.http.HttpError;
import dev.asyncprod.server.http.Json;
import dev.asyncprod.server.http.Request;
import dev.asyncprod.server.http.Response;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /email}: the seed's slow side effect. The job is stored durably, then answered
 * 202 with {@code Location: /jobs/{id}}; delivery happens in the background. With
 * {@code ?wait=true} the answer waits for this attempt: 200 sent, 502 failed for good, 202 if a
 * transient failure left it queued for a retry. Async holds no thread while it waits; blocking
 * holds its pool thread for the whole SMTP exchange.
 */
public final class EmailEndpoint implements Endpoint<EmailEndpoint.Params> {

    /** Stripe's limit for idempotency keys; a UUID needs 36. */
    static final int MAX_KEY = 255;

    /** A validated request: the email, the caller's idempotency key (or null) and whether to wait. */
    public record Params(EmailRequest email, String idempotencyKey, boolean waitForDelivery) {
    }

    private final EmailService email;

    public EmailEndpoint(EmailService email) {
        this.email = email;
        EmailRequest.warmUp();
    }

    @Override
    public Params parse(Request request) {
        boolean wait = request.query().optionalBoolean("wait");
        String key = request.headers().get("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_KEY)) {
            throw HttpError.badParameter("Idempotency-Key must be 1 to " + MAX_KEY + " characters");
        }
        return new Params(EmailRequest.parse(request.headers(), request.body()), key, wait);
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
            if (ErrorMapper.unwrap(failure) instanceof StoreBusyException busy) {
                throw HttpError.overloaded(busy.getMessage(), 1);
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
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
        Json body = waited ? accepted.job().toJson()
                : Json.object().put("id", accepted.job().id()).put("status", status.label());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", "/jobs/" + accepted.job().id());
        if (accepted.outcome() == Outcome.REPLAYED) {
            headers.put("Idempotent-Replayed", "true"); // the header Stripe uses for the same thing
        }
        return Response.json(code, body.toString()).withHeaders(headers);
    }
}
