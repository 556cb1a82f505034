package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.asyncprod.base.testing.BoundedJoin;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.http.LogContext;
import dev.asyncprod.server.support.ServerExtension;
import dev.asyncprod.server.support.TeeOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Every log line a request causes carries its id, on every thread and hop; each task of
 * {@code /gather} and each call of {@code /fanout} logs with its own id and its parent's, and the
 * downstream request a call makes is logged under the call's id. Other requests run meanwhile.
 */
class RequestContextLoggingTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes();

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void capture() {
        captured.start();
        root.addAppender(captured);
        // The access log writes its own lines to stdout, off the event loop: read them where a user would.
        originalOut = System.out;
        System.setOut(new PrintStream(new TeeOutputStream(originalOut, stdout), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        System.setOut(originalOut);
    }

    private List<String> accessLines() {
        synchronized (stdout) {
            return stdout.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" access id=")).toList();
        }
    }

    /** The access line of request {@code id}, which must be the only one. */
    private String accessLineOf(String id) {
        List<String> lines = accessLines().stream().filter(l -> l.contains(" access id=" + id + " ")).toList();
        assertThat(lines).as("access lines of " + id).hasSize(1);
        return lines.get(0);
    }

    private static String traceOf(String accessLine) {
        Matcher m = Pattern.compile(" trace=([0-9a-f]{32}) ").matcher(accessLine);
        assertThat(m.find()).as("a trace id in " + accessLine).isTrue();
        return m.group(1);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void gatherAndFanoutLogWithTheirOwnAndTheirParentsIds(Mode mode) {
        String gather = "g-" + mode.label();
        String fanout = "f-" + mode.label();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> noise = new ArrayList<>();
            for (int i = 0; i < 20; i++) { // unrelated requests at the same time, each with its own id
                noise.add(client.sendAsync(HttpRequest.newBuilder(servers.uri(mode, "/sleep?ms=" + (10 + i * 5)))
                        .header("X-Request-Id", "noise-" + i).build(), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture<HttpResponse<String>> g = client.sendAsync(HttpRequest.newBuilder(servers.uri(mode, "/gather?ms=40,80"))
                    .header("X-Request-Id", gather).build(), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> f = client.sendAsync(HttpRequest.newBuilder(servers.uri(mode, "/fanout?n=3&ms=30"))
                    .header("X-Request-Id", fanout).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(join(g).statusCode()).isEqualTo(200);
            assertThat(join(f).statusCode()).isEqualTo(200);
            noise.forEach(BoundedJoin::join);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<ILoggingEvent> events = List.copyOf(captured.list);
            // The gather: START and END of each task, each with the task's id and the request's as parent.
            for (int task = 1; task <= 2; task++) {
                String id = gather + "." + task;
                String name = "task-" + task;
                assertThat(events).filteredOn(e -> e.getFormattedMessage().startsWith(name + ": ") && id.equals(idOf(e)))
                        .extracting(e -> e.getMDCPropertyMap().get(LogContext.PARENT)).containsExactly(gather, gather);
            }
            // The fan-out: each call logs its start and its answer under its own id; the upstream request it made
            // is in the access log under the same id, in the same trace as the fan-out request.
            String fanoutTrace = traceOf(accessLineOf(fanout));
            for (int call = 1; call <= 3; call++) {
                String id = fanout + "." + call;
                String prefix = "call " + call + ": ";
                assertThat(events).filteredOn(e -> e.getFormattedMessage().startsWith(prefix) && id.equals(idOf(e)))
                        .hasSize(2).allSatisfy(e -> assertThat(e.getMDCPropertyMap())
                                .containsEntry(LogContext.PARENT, fanout).containsEntry(LogContext.TRACE, fanoutTrace));
                String callLine = accessLineOf(id);
                assertThat(callLine).contains(" - GET /sleep?ms=30 HTTP/1.1 200 ");
                assertThat(traceOf(callLine)).isEqualTo(fanoutTrace);
            }
            // Each gather task logs (START and END) in a span of its own, in the request's trace.
            String gatherTrace = traceOf(accessLineOf(gather));
            assertThat(accessLineOf(gather)).contains(" - GET /gather?ms=40,80 HTTP/1.1 200 ");
            List<ILoggingEvent> taskEvents = events.stream()
                    .filter(e -> gather.equals(e.getMDCPropertyMap().get(LogContext.PARENT))).toList();
            assertThat(taskEvents).hasSize(4)
                    .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry(LogContext.TRACE, gatherTrace));
            assertThat(taskEvents.stream().map(e -> e.getMDCPropertyMap().get(LogContext.SPAN)).distinct()).hasSize(2);
            // No access line is without an id.
            assertThat(accessLines()).allSatisfy(l -> assertThat(l).matches(".* access id=\\S+ trace=[0-9a-f]{32} - .*"));
        });
    }

    private static String idOf(ILoggingEvent e) {
        return e.getMDCPropertyMap().get(LogContext.ID);
    }
}
