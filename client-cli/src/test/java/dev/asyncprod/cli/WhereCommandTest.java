package dev.asyncprod.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code client.jar where} against a canned admin listener. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WhereCommandTest {

    private AdminFixture admin;

    @BeforeEach
    void start() throws IOException {
        admin = new AdminFixture()
                .json("/debug/tasks/30", AdminFixture.resource("where.json"))
                .json("/debug/tasks/14", AdminFixture.resource("where-async.json"))
                .answer("/debug/tasks/99", 404, "application/problem+json", AdminFixture.problem(404, "Not Found", "no task 99"));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void printsTheSummaryTheChildrenAndWhereTheTaskIs() {
        CliRun run = CliRun.of("where", admin.url(), "30");

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.lines()).containsExactly(
                "task 30 request \"GET /fanout?n=5\" (virtual): waiting on its children (5 not done); age 1,204 ms, busy 120.4 ms,"
                        + " cpu 1.5 ms, thread vt-7 on ForkJoinPool-1-worker-2; lints: orphan",
                "request 77aa01, trace 4bf92f3577b34da6a3ce929d0e0e4736: GET /fanout?n=5 h2 from 127.0.0.1:51300 (e5f6a7b8)",
                "",
                "children:",
                "ID  KIND       STATE    AGE  BUSY  CPU  THREAD  MODE     WAITING ON / OUTCOME  NAME",
                "31  http_call  done   1,100   2.0  1.1  vt-8    virtual  status 503            GET http://127.0.0.1:8081/sleep?ms=900",
                "(4 more children left out)",
                "",
                "where:",
                "  thread state  WAITING",
                "  container     root",
                "  future        not done, 2 dependent stages",
                "  at java.base/jdk.internal.misc.Unsafe.park(Native Method)",
                "  at java.base/java.util.concurrent.locks.LockSupport.park(LockSupport.java:369)",
                "  at java.base/java.util.concurrent.CompletableFuture.join(CompletableFuture.java:2117)",
                "  at dev.asyncprod.server.endpoints.FanoutEndpoint.handleBlocking(FanoutEndpoint.java:88)");
        assertThat(admin.received()).singleElement().extracting(AdminFixture.Received::path).isEqualTo("/debug/tasks/30");
    }

    @Test
    void aTaskOffItsThreadHasNoStack() {
        CliRun run = CliRun.of("where", admin.url(), "14");

        assertThat(run.exit()).isZero();
        assertThat(run.lines()).containsExactly(
                "task 14 sleeper \"task-2\" (async): waiting on timer, due in 2,690 ms; age 2,300 ms, busy 0.1 ms, cpu -,"
                        + " thread event-loop-1",
                "",
                "where:",
                "  thread state  - (not on a thread now)",
                "  container     -",
                "  (no stack: the task is not running on a thread now)");
    }

    @Test
    void anUnknownIdPrintsTheServersDetailAndExitsOne() {
        CliRun run = CliRun.of("where", admin.url(), "99");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: HTTP 404: no task 99" + System.lineSeparator());
    }

    @Test
    void theTokenGoesAsABearerHeader() {
        admin.requireToken("s3cret");

        assertThat(CliRun.of("where", admin.url(), "30", "--token", "s3cret").exit()).isZero();
        assertThat(admin.received().get(0).authorization()).isEqualTo("Bearer s3cret");
    }

    @Test
    void anIdThatIsNoNumberIsAUsageError() {
        assertThat(CliRun.of("where", admin.url(), "twelve").exit()).isEqualTo(2);
        assertThat(admin.received()).isEmpty();
    }
}
