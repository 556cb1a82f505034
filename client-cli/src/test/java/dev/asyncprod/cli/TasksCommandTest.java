package dev.asyncprod.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code client.jar tasks} against a canned admin listener: the table, the tree, the filters, the token, --watch. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TasksCommandTest {

    private AdminFixture admin;

    @BeforeEach
    void start() throws IOException {
        admin = new AdminFixture().json("/debug/tasks", AdminFixture.resource("page.json"));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void tableListsRootsOldestFirstWithTheirChildrenIndentedAndAFooter() {
        CliRun run = CliRun.of("tasks", admin.url());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.lines()).containsExactly(
                "ID  KIND       STATE       AGE   BUSY  CPU  THREAD                           MODE     WAITING ON / OUTCOME          NAME",
                "20  delivery   running  61,000    4.5  3.2  email-pump                       async    -                             deliver 7d3e  [stuck]",
                "12  request    waiting   2,310    0.3    -  event-loop-1                     async    its children (1 not done)     GET /gather?ms=2000,5000",
                "13  sleeper    done      2,001    0.1    -  event-loop-1                     async    ok                              task-1",
                "14  sleeper    waiting   2,300    0.1    -  event-loop-1                     async    timer, due in 2,690 ms          task-2",
                "30  request    waiting   1,204  120.4  1.5  vt-7 on ForkJoinPool-1-worker-2  virtual  its children (5 not done)     GET /fanout?n=5  [orphan]",
                "31  http_call  waiting   1,100    2.0  1.1  vt-8                             virtual  response from 127.0.0.1:8081    GET http://127.0.0.1:8081/sleep?ms=900",
                "32  query      queued        5    0.0    -  -                                virtual  -                                 select world",
                " ".repeat(118) + "(4 more children left out)",
                "",
                "3 shown of 4 matched (1 left out), 5 total; lints: blocked_loop=0 orphan=1 stuck=1 pinned=0");
        assertThat(admin.received()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/debug/tasks");
            assertThat(r.rawQuery()).isNull();
        });
    }

    @Test
    void childrenAreIndentedTwoSpacesPerLevelInTheNameColumn() {
        List<String> lines = CliRun.of("tasks", admin.url()).lines();
        int name = lines.get(0).indexOf("NAME");

        assertThat(nameOf(lines, "12", name)).isEqualTo("GET /gather?ms=2000,5000");
        assertThat(nameOf(lines, "13", name)).isEqualTo("  task-1");
        assertThat(nameOf(lines, "31", name)).isEqualTo("  GET http://127.0.0.1:8081/sleep?ms=900");
        assertThat(nameOf(lines, "32", name)).isEqualTo("    select world");
    }

    @Test
    void sortByBusyPutsTheBusiestRootFirstAndKeepsChildrenUnderTheirRoot() {
        List<String> ids = CliRun.of("tasks", admin.url(), "--sort", "busy").lines().stream()
                .skip(1).takeWhile(l -> !l.isEmpty()).map(l -> l.split(" ", 2)[0]).filter(id -> id.matches("\\d+")).toList();

        assertThat(ids).containsExactly("30", "31", "32", "20", "12", "13", "14");
    }

    @Test
    void treePrintsTheServersBodyAsItIs() {
        String tree = AdminFixture.resource("tree.txt");
        admin.answer("/debug/tasks", 200, "text/plain; charset=utf-8", tree);

        CliRun run = CliRun.of("tasks", admin.url(), "--tree");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo(tree);
        assertThat(admin.received().get(0).rawQuery()).isEqualTo("format=tree");
    }

    @Test
    void filtersBecomeTheQueryString() {
        CliRun run = CliRun.of("tasks", admin.url(), "--min-age", "500", "--path", "/gather x", "--state", "waiting",
                "--kind", "request", "--limit", "10", "--finished");
        CliRun tree = CliRun.of("tasks", admin.url() + "/", "--tree", "--kind", "sleeper");

        assertThat(run.exit()).isZero();
        assertThat(tree.exit()).isZero();
        assertThat(admin.received()).extracting(AdminFixture.Received::rawQuery).containsExactly(
                "min_age=500&path=/gather%20x&state=waiting&kind=request&limit=10&finished=true",
                "format=tree&kind=sleeper");
        assertThat(admin.received()).extracting(AdminFixture.Received::path).containsOnly("/debug/tasks");
    }

    @Test
    void theServersFilterProblemIsPrintedAndExitsOne() {
        admin.answer("/debug/tasks", 400, "application/problem+json",
                AdminFixture.problem(400, "Bad Request", "state must be one of queued, running, waiting, done, was 'sleepy'"));

        CliRun run = CliRun.of("tasks", admin.url(), "--state", "sleepy");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: HTTP 400: state must be one of queued, running, waiting, done, was 'sleepy'"
                + System.lineSeparator());
    }

    @Test
    void anAnswerThatIsNoProblemIsPrintedWithItsStatus() {
        admin.answer("/debug/tasks", 502, "text/html", "<html>\n<body>Bad Gateway</body>\n</html>\n");

        CliRun run = CliRun.of("tasks", admin.url());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: HTTP 502: <html> <body>Bad Gateway</body> </html>");
    }

    @Test
    void aListenerWithoutTheTaskViewSaysWhichListenerToUse() {
        CliRun run = CliRun.of("tasks", admin.url() + "/elsewhere");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("HTTP 404: no route").contains("admin listener");
    }

    @Test
    void theTokenGoesAsABearerHeader() {
        admin.requireToken("s3cret");

        CliRun run = CliRun.of("tasks", admin.url(), "--token", "s3cret");

        assertThat(run.exit()).isZero();
        assertThat(admin.received().get(0).authorization()).isEqualTo("Bearer s3cret");
    }

    @Test
    void aMissingTokenSaysHowToGiveOne() {
        assumeTrue(System.getenv("ADMIN_TOKEN") == null, "ADMIN_TOKEN is set in this environment");
        admin.requireToken("s3cret");

        CliRun run = CliRun.of("tasks", admin.url());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(admin.received().get(0).authorization()).isNull();
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("error: HTTP 401: no admin token was sent").contains("--token TOKEN").contains("ADMIN_TOKEN")
                .contains("this listener wants a bearer token");
    }

    @Test
    void aWrongTokenSaysItWasRefused() {
        admin.requireToken("s3cret");

        CliRun run = CliRun.of("tasks", admin.url(), "--token", "guess");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: HTTP 401: the server refused the admin token")
                .contains("--token").contains("ADMIN_TOKEN").doesNotContain("guess");
    }

    @Test
    void nothingListeningIsOneLineAndExitOne() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        CliRun run = CliRun.of("tasks", "http://127.0.0.1:" + port);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString()
                .isEqualTo("error: 127.0.0.1:" + port + ": connection refused (is the server's admin listener at http://127.0.0.1:"
                        + port + "?)");
    }

    @Test
    void watchClearsAndRedrawsEveryIntervalForTheIterationsAsked() {
        long start = System.nanoTime();

        CliRun run = CliRun.of("tasks", admin.url(), "--watch", "--iterations", "2", "--interval", "100ms");

        assertThat(run.exit()).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(admin.received()).hasSize(2);
        String[] frames = run.out().split(java.util.regex.Pattern.quote(TasksCommand.CLEAR_SCREEN), -1);
        assertThat(frames).hasSize(3);
        assertThat(frames[0]).isEmpty();
        for (String frame : List.of(frames[1], frames[2])) {
            assertThat(frame).startsWith("Every 0.1s: " + admin.url() + "/debug/tasks    ")
                    .contains("3 shown of 4 matched (1 left out), 5 total; lints:");
        }
    }

    @Test
    void iterationsWithoutWatchIsAUsageError() {
        CliRun run = CliRun.of("tasks", admin.url(), "--iterations", "2");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(admin.received()).isEmpty();
    }

    private static String nameOf(List<String> lines, String id, int nameColumn) {
        return lines.stream().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow().substring(nameColumn);
    }
}
