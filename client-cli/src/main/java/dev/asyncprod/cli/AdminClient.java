package dev.asyncprod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.BlockingHttpClient;
import dev.asyncprod.client.ClientRequest;
import dev.asyncprod.client.ClientResponse;
import dev.asyncprod.client.HttpClientException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * GETs from the server's admin listener, with the bearer token when there is one. Every way a GET
 * can fail ends as a {@link Failure} whose message is the one line the user reads: the problem's
 * {@code detail} for a non-2xx answer, what to do about a 401, or why nothing answered.
 */
final class AdminClient implements AutoCloseable {

    /** A GET that did not give a 2xx answer; the message is ready to print. */
    static final class Failure extends Exception {
        private final int status;

        Failure(String message) {
            this(0, message);
        }

        Failure(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The answer's HTTP status, 0 when nothing answered. */
        int status() {
            return status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_PREVIEW = 200;

    private final String base;
    private final String token;
    private final Duration timeout;
    private final AsyncHttpClient async = AsyncHttpClient.create();
    private final BlockingHttpClient http = new BlockingHttpClient(async);

    /**
     * @param base  the admin listener's root, e.g. {@code http://127.0.0.1:9090}
     * @param token the bearer token, or null/blank for none
     */
    AdminClient(URI base, String token, Duration timeout) {
        this.base = base.toString().replaceAll("/+$", "");
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.timeout = timeout;
    }

    /** The full URL of {@code pathAndQuery} on the admin listener. */
    URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    /** The body of a 2xx answer, as text. */
    String getText(String pathAndQuery) throws Failure, InterruptedException {
        URI uri;
        ClientRequest.Builder request;
        try {
            uri = uri(pathAndQuery);
            request = ClientRequest.get(uri).responseTimeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        ClientResponse response;
        try {
            response = http.send(request.build());
        } catch (HttpClientException e) {
            throw new Failure(e.getMessage() + unreachableHint(e));
        }
        if (!response.isSuccess()) {
            throw new Failure(response.status(), describe(response));
        }
        return response.bodyAsString();
    }

    /** A 2xx answer's body, as JSON. */
    JsonNode getJson(String pathAndQuery) throws Failure, InterruptedException {
        String body = getText(pathAndQuery);
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new Failure(uri(pathAndQuery) + " did not answer JSON: " + preview(body));
        }
    }

    private String unreachableHint(HttpClientException e) {
        return e.kind() == HttpClientException.Kind.CONNECT_FAILED || e.kind() == HttpClientException.Kind.CONNECT_TIMEOUT
                ? " (is the server's admin listener at " + base + "?)" : "";
    }

    private String describe(ClientResponse response) {
        int status = response.status();
        String detail = problemDetail(response.bodyAsString());
        if (status == 401) {
            String what = token == null
                    ? "no admin token was sent, and the server wants one: pass --token TOKEN or set ADMIN_TOKEN"
                    : "the server refused the admin token: check --token or ADMIN_TOKEN";
            return "HTTP 401: " + what + (detail == null ? "" : " (" + detail + ")");
        }
        return "HTTP " + status + ": " + (detail != null ? detail : preview(response.bodyAsString()));
    }

    /** An RFC 9457 problem's {@code detail}, else its {@code title}; null when the body is no problem. */
    static String problemDetail(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem == null || !problem.isObject()) {
                return null;
            }
            String detail = Json.text(problem, "detail");
            return detail != null ? detail : Json.text(problem, "title");
        } catch (IOException e) {
            return null;
        }
    }

    private static String preview(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        if (line.isEmpty()) {
            return "(empty body)";
        }
        return line.length() <= BODY_PREVIEW ? line : line.substring(0, BODY_PREVIEW) + "...";
    }

    @Override
    public void close() {
        async.close();
    }
}
