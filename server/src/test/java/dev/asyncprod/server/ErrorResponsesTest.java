package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.RawConnection;
import dev.asyncprod.server.support.RawConnection.RawResponse;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad input gets a clear 4xx JSON error, in every mode, and the server keeps serving. */
class ErrorResponsesTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes("--max-body=1k", "--max-header=1k");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "ASYNC    | /sleep?ms=-1          | 'ms' must be from 0 to 60000, got -1",
            "BLOCKING | /sleep?ms=60001       | 'ms' must be from 0 to 60000, got 60001",
            "VIRTUAL  | /sleep?ms=abc         | 'ms' must be a whole number from 0 to 60000, got 'abc'",
            "ASYNC    | /sleep                | missing query parameter 'ms'",
            "BLOCKING | /sleep?ms=1&ms=2      | query parameter 'ms' given 2 times; give it once",
            "VIRTUAL  | /gather?ms=           | 'ms' must be a whole number from 0 to 60000, got ''",
            "ASYNC    | /gather?ms=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17 | 'ms' must list 1 to 16 comma-separated values, got 17",
            "BLOCKING | /gather?ms=10,x       | 'ms' must be a whole number from 0 to 60000, got 'x'",
            "VIRTUAL  | /gather?ms=10,70000   | 'ms' must be from 0 to 60000, got 70000",
    })
    void badParameterIs400WithWhatIsAllowed(Mode mode, String path, String message) {
        HttpResponse<String> r = Http.get(servers.uri(mode, path));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(stringField(r.body(), "error")).isEqualTo("bad_parameter");
        assertThat(stringField(r.body(), "message")).isEqualTo(message);
        // RFC 9457 problem details, beside the fields earlier callers read.
        assertThat(stringField(r.body(), "type")).isEqualTo("/problems/bad_parameter");
        assertThat(stringField(r.body(), "title")).isEqualTo("Bad parameter");
        assertThat(longField(r.body(), "status")).isEqualTo(400);
        assertThat(stringField(r.body(), "detail")).isEqualTo(message);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void unknownPathIs404(Mode mode) {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/nope"));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(stringField(r.body(), "error")).isEqualTo("not_found");
        assertThat(stringField(r.body(), "message")).contains("/nope");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void wrongMethodIs405WithAllow(Mode mode) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(servers.uri(mode, "/sleep?ms=1"))
                .DELETE().build());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(stringField(r.body(), "error")).isEqualTo("method_not_allowed");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bodyOverTheLimitIs413(Mode mode) throws Exception {
        String body = "x".repeat(2048);
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawResponse r = c.send("POST /hello HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).read();

            assertThat(r.status()).isEqualTo(413);
            assertThat(stringField(r.body(), "error")).isEqualTo("body_too_large");
            assertThat(stringField(r.body(), "message")).contains("1024 bytes");
            assertThat(r.headers()).containsEntry("connection", "close");
        }
        assertStillServing(mode);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void headersOverTheLimitAre431(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawResponse r = c.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + "y".repeat(2000) + "\r\n\r\n").read();

            assertThat(r.status()).isEqualTo(431);
            assertThat(stringField(r.body(), "error")).isEqualTo("headers_too_large");
            assertThat(c.closedByServer()).isTrue();
        }
        assertStillServing(mode);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void garbageRequestLineIs400AndCloses(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawResponse r = c.send("HELLO THERE\r\n\r\n").read();

            assertThat(r.status()).isEqualTo(400);
            assertThat(stringField(r.body(), "error")).isEqualTo("bad_request");
            assertThat(c.closedByServer()).isTrue();
        }
        assertStillServing(mode);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void requestIdIsEchoedWhenSafeAndReplacedWhenNot(Mode mode) {
        HttpResponse<String> echoed = Http.send(HttpRequest.newBuilder(servers.uri(mode, "/hello"))
                .header("X-Request-Id", "trace-42.a:b_c").build());
        HttpResponse<String> replaced = Http.send(HttpRequest.newBuilder(servers.uri(mode, "/hello"))
                .header("X-Request-Id", "bad id with spaces").build());

        assertThat(echoed.headers().firstValue("x-request-id")).hasValue("trace-42.a:b_c");
        assertThat(replaced.headers().firstValue("x-request-id"))
                .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16}"));
    }

    private static void assertStillServing(Mode mode) {
        assertThat(Http.raw(servers.port(mode), "GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                Duration.ofSeconds(10))).startsWith("HTTP/1.1 200 OK").endsWith("hello");
    }
}
