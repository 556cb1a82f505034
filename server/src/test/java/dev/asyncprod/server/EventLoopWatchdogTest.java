package dev.asyncprod.server;

import static dev.asyncprod.server.support.JsonFields.longField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.ops.EventLoopWatchdog;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** A blocked event loop is reported while it blocks, with the stack of the code that blocks it. */
class EventLoopWatchdogTest {

    @Nested
    class WithDebugEndpoints {
        @RegisterExtension
        static final ServerExtension server = ServerExtension.of(Mode.ASYNC, "--debug-endpoints", "--blocked-threshold=100ms");

        private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        private final Logger watchdogLog = (Logger) LoggerFactory.getLogger(EventLoopWatchdog.class);

        @BeforeEach
        void capture() {
            warnings.start();
            watchdogLog.addAppender(warnings);
        }

        @AfterEach
        void release() {
            watchdogLog.detachAppender(warnings);
        }

        @Test
        void blockingTheLoopIsWarnedWithTheBlockingStack() {
            Http.get(server.uri(Mode.ASYNC, "/hello")); // first use of the loops: class loading is not what we test
            warnings.list.clear();

            String body = Http.send(HttpRequest.newBuilder(server.adminUri(Mode.ASYNC, "/debug/block?ms=400"))
                    .header("X-Request-Id", "blocker-1").build()).body();

            assertThat(longField(body, "blocked_ms")).isGreaterThanOrEqualTo(400);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(warnings.list)
                    .anySatisfy(e -> {
                        assertThat(e.getLevel().toString()).isEqualTo("WARN");
                        assertThat(e.getFormattedMessage()).startsWith("event loop event-loop-")
                                .contains("blocked for", "DebugBlockEndpoint.handleBlocking", "Thread.sleep")
                                .as("names the request whose callback blocks it")
                                .contains("by task ", "(request blocker-1 GET /debug/block?ms=400)");
                    }));
            assertThat(Http.get(server.uri(Mode.ASYNC, "/hello")).body()).isEqualTo("hello");
            // The task view keeps the lint on the request, and counts it.
            String finished = Http.get(server.adminUri(Mode.ASYNC, "/debug/tasks?finished=true&path=/debug/block")).body();
            assertThat(finished).contains("\"id\":\"blocker-1\"", "\"lints\":[\"blocked_loop\"]");
            assertThat(Http.get(server.uri(Mode.ASYNC, "/metrics")).body())
                    .containsPattern("tasks_lints_total\\{lint=\"blocked_loop\"[^}]*} [1-9]");
        }

        @Test
        void theBlockingEndpointIsOnlyOnTheAdminListener() {
            assertThat(Http.get(server.uri(Mode.ASYNC, "/debug/block?ms=1")).statusCode()).isEqualTo(404);
        }
    }

    @Nested
    class WithoutDebugEndpoints {
        @RegisterExtension
        static final ServerExtension server = ServerExtension.of(Mode.ASYNC);

        @Test
        void theBlockingEndpointDoesNotExist() {
            assertThat(Http.get(server.adminUri(Mode.ASYNC, "/debug/block?ms=1")).statusCode()).isEqualTo(404);
        }
    }
}
