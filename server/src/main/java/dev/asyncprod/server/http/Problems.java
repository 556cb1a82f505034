package dev.asyncprod.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Error answers as RFC 9457 problem details ({@code application/problem+json}): {@code type},
 * {@code title}, {@code status}, {@code detail}, and this API's own {@code error} (a code to branch
 * on) and {@code message} (the detail again), which callers of earlier versions read. A problem's
 * type is {@code /problems/<code>}, and the server answers that path with what the code means: the
 * API's whole error vocabulary is here.
 */
public final class Problems {

    public static final CharSequence CONTENT_TYPE = AsciiString.cached("application/problem+json");
    /** Where a problem's type points: {@code GET /problems/<code>} describes it. */
    public static final String TYPE_PREFIX = "/problems/";

    private static final Map<String, String> MEANINGS = Map.ofEntries(
            Map.entry("bad_parameter", "A query parameter or header is missing, repeated or out of range; the detail says what is allowed."),
            Map.entry("bad_request", "The request could not be decoded: a malformed request line, header, chunk or percent-escape,"
                    + " or an HTTP/1.1 request without a Host header. The connection is closed after the answer."),
            Map.entry("https_required", "A plain-text HTTP request reached the TLS port: address it with https://."
                    + " The connection is closed after the answer."),
            Map.entry("not_found", "No route has this path; GET / lists the routes."),
            Map.entry("method_not_allowed", "The path exists, but not with this method; the Allow header lists the methods it takes."),
            Map.entry("body_too_large", "The request body is larger than the server's --max-body."),
            Map.entry("uri_too_long", "The request line is longer than the server's --max-header."),
            Map.entry("headers_too_large", "The request's header block is larger than the server's --max-header."),
            Map.entry("unsupported_media_type", "The body's Content-Type is not one the route takes."),
            Map.entry("invalid_email", "The email cannot be sent as given: the body must be a JSON object with a deliverable 'to',"
                    + " a one-line 'subject' and a 'body', each within its size; the detail says which."),
            Map.entry("idempotency_key_reused", "This Idempotency-Key was first used for a different email; use a new key for a new email."),
            Map.entry("unknown_job", "No job has this id."),
            Map.entry("unknown_task", "No task with this id is in flight or in the finished ring (the last 1,000 requests)."),
            Map.entry("unauthorized", "The admin listener wants its token: send Authorization: Bearer TOKEN, the server's"
                    + " --admin-token."),
            Map.entry("overloaded", "The server, or what it depends on, cannot take this request now; retry after the"
                    + " Retry-After header's seconds."),
            Map.entry("database_unavailable", "The database is unreachable, or every pooled connection stayed busy past"
                    + " --db-pool-wait; retry after the Retry-After header's seconds."),
            Map.entry("no_database", "The server runs without a database (--db none); the detail says how to start it with one."),
            Map.entry("timeout", "No answer within the server's --request-timeout; the work was cancelled."),
            Map.entry("internal", "The server failed to answer: a bug. Quote the request_id when reporting it; the server logged it"
                    + " once with its stack trace."));

    private Problems() {
    }

    /** The body of every error answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail, String error, String message, String requestId) {
    }

    /** What {@code GET /problems/<code>} answers. */
    public record Description(String type, String title, String error, String description) {
    }

    /** An error answer: {@code code} names the problem, {@code detail} says what happened; {@code requestId} may be null. */
    public static Response response(HttpResponseStatus status, String code, String detail, String requestId) {
        Problem problem = new Problem(TYPE_PREFIX + code, title(code), status.code(), detail, code, detail, requestId);
        return new Response(status, CONTENT_TYPE, Json.bytes(problem), Map.of());
    }

    /** The description behind a problem type, if the API has it. */
    public static Optional<Description> describe(String code) {
        String meaning = MEANINGS.get(code);
        return meaning == null ? Optional.empty() : Optional.of(new Description(TYPE_PREFIX + code, title(code), code, meaning));
    }

    /** A code as a short, constant summary: {@code bad_parameter} is "Bad parameter". */
    static String title(String code) {
        String words = code.replace('_', ' ');
        return words.isEmpty() ? words : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}
