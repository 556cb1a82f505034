package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The log as a shipper reads it. JSON mode: every line parses, the banner included, and the access
 * log's facts are fields. Text mode: the timestamp carries the date. W3C Trace Context: a trace
 * that comes in with a request follows its fan-out calls into the upstream's log.
 */
class LogFormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE + "-" + CALLER_SPAN + "-01";

    @Test
    void jsonModeWritesEveryLineAsOneObjectWithItsFactsAsFields() throws Exception {
        ServerJarProcess server = ServerProcess.start("--log-format=json");
        try {
            Http.send(HttpRequest.newBuilder(server.uri("/hello")).header("X-Request-Id", "json-1")
                    .header("User-Agent", "log-test/1.0").build());
            Http.send(HttpRequest.newBuilder(server.uri("/gather?ms=5,10")).header("X-Request-Id", "json-g")
                    .header("traceparent", TRACEPARENT).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> access(server.output(), "json-g") != null);
        } finally {
            server.close(); // SIGTERM: the drain's lines are JSON too
        }
        List<JsonNode> lines = parseAll(server.output());

        // Start-up lines (a schema migration on a fresh data directory, say) may come first; the banner is one object too.
        JsonNode banner = lines.stream().filter(l -> l.path("logger").asText().equals("banner")).findFirst().orElseThrow();
        assertThat(banner.path("listening").asText()).endsWith(":" + server.port());
        assertThat(banner.path("mode").asText()).isEqualTo("async");
        assertThat(lines).allSatisfy(line -> assertThat(line.fieldNames()).toIterable()
                .contains("timestamp", "level", "logger", "thread", "message"));

        JsonNode hello = access(lines, "json-1");
        assertThat(hello.path("method").asText()).isEqualTo("GET");
        assertThat(hello.path("path").asText()).isEqualTo("/hello");
        assertThat(hello.path("status").asInt()).isEqualTo(200);
        assertThat(hello.path("bytes").asInt()).isEqualTo(5);
        assertThat(hello.path("duration_ms").isNumber()).isTrue();
        assertThat(hello.path("remote_address").asText()).isEqualTo("127.0.0.1");
        assertThat(hello.path("user_agent").asText()).isEqualTo("log-test/1.0");
        assertThat(hello.path("trace_id").asText()).matches("[0-9a-f]{32}");

        JsonNode gather = access(lines, "json-g");
        assertThat(gather.path("path").asText()).isEqualTo("/gather");
        assertThat(gather.path("query").asText()).isEqualTo("ms=5,10");
        assertThat(gather.path("trace_id").asText()).isEqualTo(TRACE);
        assertThat(gather.path("parent_span_id").asText()).isEqualTo(CALLER_SPAN);
        List<JsonNode> tasks = lines.stream().filter(l -> "json-g".equals(l.path("parent_id").asText(null))).toList();
        assertThat(tasks).hasSize(4).allSatisfy(t -> assertThat(t.path("trace_id").asText()).isEqualTo(TRACE));
        assertThat(lines).anySatisfy(l -> assertThat(l.path("message").asText()).startsWith("drained"));
    }

    @Test
    void textModeTimestampsCarryTheDateAndZone() throws Exception {
        ServerJarProcess server = ServerProcess.start();
        try {
            Http.get(server.uri("/hello"));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.output().stream().anyMatch(l -> l.contains(" access ")));
        } finally {
            server.close();
        }
        List<String> logLines = server.output().stream().filter(l -> l.contains(" INFO ") || l.contains(" WARN ")).toList();
        assertThat(logLines).isNotEmpty().allSatisfy(line ->
                assertThat(line).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) .*"));
    }

    @Test
    void aTraceFollowsTheFanoutIntoTheUpstreamsLog() throws Exception {
        try (ServerJarProcess upstream = ServerProcess.start("--log-format=json");
             ServerJarProcess caller = ServerProcess.start("--log-format=json", "--upstream=http://127.0.0.1:" + upstream.port())) {
            Http.send(HttpRequest.newBuilder(caller.uri("/fanout?n=2&ms=5")).header("X-Request-Id", "fan-1")
                    .header("traceparent", TRACEPARENT).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> access(upstream.output(), "fan-1.2") != null
                    && access(caller.output(), "fan-1") != null);

            List<JsonNode> callerLines = parseAll(caller.output());
            assertThat(access(callerLines, "fan-1").path("trace_id").asText()).isEqualTo(TRACE);
            // Each call is a child span of the request, in the same trace; its log lines say which.
            Set<String> callSpans = callerLines.stream()
                    .filter(l -> "fan-1".equals(l.path("parent_id").asText(null)) && l.path("message").asText().startsWith("call "))
                    .peek(l -> assertThat(l.path("trace_id").asText()).isEqualTo(TRACE))
                    .map(l -> l.path("span_id").asText()).collect(Collectors.toSet());
            assertThat(callSpans).hasSize(2);
            // The upstream saw the calls in the same trace, each with its caller's span as parent.
            List<JsonNode> upstreamLines = parseAll(upstream.output());
            for (String call : List.of("fan-1.1", "fan-1.2")) {
                JsonNode seen = access(upstreamLines, call);
                assertThat(seen.path("path").asText()).isEqualTo("/sleep");
                assertThat(seen.path("trace_id").asText()).isEqualTo(TRACE);
                assertThat(seen.path("parent_span_id").asText()).isIn(callSpans);
            }
        }
    }

    private static List<JsonNode> parseAll(List<String> output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output) {
            if (!line.isBlank()) {
                lines.add(parse(line)); // a line that is not JSON fails here, with the line
            }
        }
        return lines;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }

    private static JsonNode access(List<?> output, String requestId) {
        for (Object o : output) {
            JsonNode line = o instanceof JsonNode n ? n : ((String) o).startsWith("{") ? parse((String) o) : null;
            if (line != null && line.path("logger").asText().equals("access") && line.path("request_id").asText().equals(requestId)) {
                return line;
            }
        }
        return null;
    }
}
