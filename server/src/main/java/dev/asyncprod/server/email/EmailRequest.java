package dev.asyncprod.server.email;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.server.http.HttpError;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /email} body: {@code {"to": ..., "subject": ..., "body": ...}}.
 * Anything else is a 400 (415 for a body that is not JSON), decided before a job exists.
 */
public record EmailRequest(String to, String subject, String body) {

    /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254. */
    public static final int MAX_ADDRESS = 254;
    /** RFC 5322 §2.1.1: a header line is at most 998 characters; the subject shares it with "Subject: ". */
    public static final int MAX_SUBJECT = 900;
    /** A transactional email, not a newsletter: 64 KiB of text is plenty and keeps one job small. */
    public static final int MAX_BODY = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("to", "subject", "body");
    /**
     * The plain ASCII addresses SMTP accepts without the SMTPUTF8 extension: a dot-atom local part
     * (RFC 5322 §3.4.1) and a hostname of letters, digits and hyphens with at least one dot.
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /**
     * Loads Jackson's parsing classes now, on the thread that builds the routes. Cold, that takes
     * about half a second, which the first {@code POST /email} would otherwise spend on an event loop.
     */
    public static void warmUp() {
        try {
            JSON.readTree("{\"to\": \"a@b.example\", \"subject\": \"s\", \"body\": \"b\"}");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Jackson cannot parse a constant", e);
        }
    }

    public static EmailRequest parse(HttpHeaders headers, byte[] body) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "POST /email takes Content-Type: application/json, got '" + type + "'", Map.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw invalid("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
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
        String to = text(root, "to", MAX_ADDRESS);
        if (!ADDRESS.matcher(to).matches() || to.indexOf('@') > 64) {
            throw invalid("'to' is not a deliverable address: '" + to + "'");
        }
        String subject = text(root, "subject", MAX_SUBJECT);
        if (subject.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw invalid("'subject' must be one line"); // a line break would let the caller forge headers
        }
        return new EmailRequest(to, subject, text(root, "body", MAX_BODY));
    }

    private static String text(JsonNode root, String field, int maxLength) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw invalid("'" + field + "' is required");
        }
        if (!node.isTextual()) {
            throw invalid("'" + field + "' must be a string");
        }
        String value = node.textValue();
        if (value.length() > maxLength) {
            throw invalid("'" + field + "' is longer than " + maxLength + " characters");
        }
        if (!field.equals("body") && value.isBlank()) {
            throw invalid("'" + field + "' must not be empty");
        }
        return value;
    }

    private static HttpError invalid(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "invalid_email", message, Map.of());
    }
}
