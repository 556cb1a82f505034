package dev.asyncprod.server;

import static dev.asyncprod.server.support.ProblemAssert.assertProblem;
import static dev.asyncprod.server.support.ProblemAssert.assertProblemBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.RawConnection;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP as clients and proxies expect it (RFC 9110, RFC 9112, RFC 9457), in every mode: HEAD on
 * every GET route, a Date on every answer, Host required of HTTP/1.1, absolute-form targets, an
 * index of the routes at {@code /}, and every error a problem.
 */
class HttpConformanceTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes("--max-body=1k", "--email-latency=10ms");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The index's examples, made quick: a test should not wait out the 2 s and 5 s of the demo. */
    private static final Map<String, String> QUICK = Map.of("/sleep", "/sleep?ms=5", "/gather", "/gather?ms=5,10",
            "/fanout", "/fanout?n=1&ms=5");
    /** Answers whose body changes from one request to the next (timings, counters), so only their headers compare. */
    private static final Set<String> VARYING = Set.of("/sleep", "/gather", "/fanout", "/info", "/metrics", "/health/live",
            "/health/ready", "/mailbox", "/");

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theIndexListsEveryRouteWithAWorkingCurlCommand(Mode mode) throws Exception {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/"));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode index = JSON.readTree(r.body());
        assertThat(index.path("mode").asText()).isEqualTo(mode.label());
        List<String> paths = new ArrayList<>();
        for (JsonNode route : index.path("routes")) {
            paths.add(route.path("method").asText() + " " + route.path("path").asText());
            assertThat(route.path("summary").asText()).isNotBlank();
            assertThat(route.path("curl").asText()).startsWith("curl ").contains("http://127.0.0.1:" + servers.port(mode));
        }
        assertThat(paths).contains("GET /", "GET /hello", "GET /sleep", "GET /gather", "GET /fanout", "POST /email",
                "GET /jobs/{id}", "GET /health", "GET /health/live", "GET /health/ready", "GET /info", "GET /metrics",
                "GET /problems/{id}");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void headOnEveryGetRouteHasTheGetsStatusAndHeadersAndNoBody(Mode mode) throws Exception {
        for (String target : getTargets(mode)) {
            HttpResponse<String> get = Http.get(servers.uri(mode, target));
            HttpResponse<String> head = Http.send(HttpRequest.newBuilder(servers.uri(mode, target))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

            assertThat(head.statusCode()).as("HEAD " + target).isEqualTo(get.statusCode());
            assertThat(head.body()).as("HEAD " + target).isEmpty();
            assertThat(head.headers().firstValue("content-type")).as(target).isEqualTo(get.headers().firstValue("content-type"));
            assertThat(head.headers().map().keySet()).as(target).isEqualTo(get.headers().map().keySet());
            if (!VARYING.contains(target.split("\\?")[0])) {
                assertThat(head.headers().firstValue("content-length")).as(target)
                        .isEqualTo(get.headers().firstValue("content-length"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyAnswerCarriesTheDateAsRfc9110Says(Mode mode) {
        for (String target : List.of("/hello", "/nope", "/sleep?ms=x", "/health")) {
            HttpResponse<String> r = Http.get(servers.uri(mode, target));
            String date = r.headers().firstValue("date").orElseThrow(() -> new AssertionError("no Date on " + target));
            Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertThat(Duration.between(sent, Instant.now()).abs()).as("Date of " + target).isLessThan(Duration.ofMinutes(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anHttp11RequestWithoutHostIs400AndHttp10NeedsNone(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawConnection.RawResponse r = c.send("GET /hello HTTP/1.1\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.headers()).containsEntry("content-type", "application/problem+json");
            assertProblemBody(r.body(), 400, "bad_request");
        }
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            assertThat(c.send("GET /hello HTTP/1.0\r\n\r\n").read().body()).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAbsoluteFormTargetIsServedAsItsPath(Mode mode) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawConnection.RawResponse r = c.send("GET http://proxy.example/sleep?ms=1 HTTP/1.1\r\nHost: other.example\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"slept_ms\":1");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyClientErrorIsAProblem(Mode mode) throws Exception {
        assertProblem(Http.get(servers.uri(mode, "/sleep?ms=x")), 400, "bad_parameter");
        assertProblem(Http.get(servers.uri(mode, "/nope")), 404, "not_found");
        assertProblem(Http.send(HttpRequest.newBuilder(servers.uri(mode, "/hello")).DELETE().build()), 405, "method_not_allowed");
        assertProblem(Http.postJson(servers.uri(mode, "/email"), "{\"to\": \"bob@\", \"subject\": \"s\", \"body\": \"b\"}"),
                400, "invalid_email");
        assertProblem(Http.send(HttpRequest.newBuilder(servers.uri(mode, "/email")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi")).build()), 415, "unsupported_media_type");
        assertProblem(Http.get(servers.uri(mode, "/jobs/00000000-0000-0000-0000-000000000000")), 404, "unknown_job");
        assertProblem(Http.postJson(servers.uri(mode, "/email"), "{\"body\": \"" + "x".repeat(2000) + "\"}"), 413, "body_too_large");
        assertRawProblem(mode, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414, "uri_too_long");
        assertRawProblem(mode, "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n", 431, "headers_too_large");
        assertRawProblem(mode, "NOT A REQUEST\r\n\r\n", 400, "bad_request");
        assertThat(Http.get(servers.uri(mode, "/hello")).body()).isEqualTo("hello"); // still serving
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aProblemsTypeIsAWorkingLinkToWhatItMeans(Mode mode) throws Exception {
        HttpResponse<String> problem = Http.get(servers.uri(mode, "/sleep?ms=x"));
        String type = JSON.readTree(problem.body()).path("type").asText();

        HttpResponse<String> described = Http.get(servers.uri(mode, type));
        assertThat(described.statusCode()).isEqualTo(200);
        JsonNode description = JSON.readTree(described.body());
        assertThat(description.path("type").asText()).isEqualTo(type);
        assertThat(description.path("title").asText()).isEqualTo("Bad parameter");
        assertThat(description.path("description").asText()).isNotBlank();
        assertProblem(Http.get(servers.uri(mode, "/problems/no_such_problem")), 404, "not_found");
    }

    /** Every GET route of the index, with the index's example target (made quick), except what needs a job id. */
    private static List<String> getTargets(Mode mode) throws Exception {
        JsonNode index = JSON.readTree(Http.get(servers.uri(mode, "/")).body());
        List<String> targets = new ArrayList<>();
        Pattern url = Pattern.compile("'http://[^/]+(/[^']*)'");
        for (JsonNode route : index.path("routes")) {
            if (!route.path("method").asText().equals("GET") || route.path("path").asText().contains("{id}")) {
                continue;
            }
            Matcher m = url.matcher(route.path("curl").asText());
            assertThat(m.find()).as(route.toString()).isTrue();
            targets.add(QUICK.getOrDefault(route.path("path").asText(), m.group(1)));
        }
        return targets;
    }

    private static void assertRawProblem(Mode mode, String request, int status, String code) throws Exception {
        try (RawConnection c = new RawConnection(servers.port(mode))) {
            RawConnection.RawResponse r = c.send(request).read();
            assertThat(r.status()).as(request.substring(0, Math.min(20, request.length()))).isEqualTo(status);
            assertThat(r.headers()).containsEntry("content-type", "application/problem+json");
            assertProblemBody(r.body(), status, code);
        }
    }
}
