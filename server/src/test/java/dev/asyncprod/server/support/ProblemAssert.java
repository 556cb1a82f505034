package dev.asyncprod.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

/** An error answer as RFC 9457 has it, with the {@code error} and {@code message} earlier callers read. */
public final class ProblemAssert {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemAssert() {
    }

    /** Asserts the answer is the problem {@code code} with {@code status}; returns its body. */
    public static JsonNode assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of " + r.uri()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        return assertProblemBody(r.body(), status, code);
    }

    public static JsonNode assertProblemBody(String text, int status, String code) {
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(body.path("type").asText()).isEqualTo("/problems/" + code);
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("detail").asText()).isNotBlank();
        assertThat(body.path("error").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isEqualTo(body.path("detail").asText());
        return body;
    }
}
