package dev.asyncprod.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncprod.base.testing.ChildProcess;
import dev.asyncprod.common.process.ServerJarProcess;
import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code client-cli/target/client.jar} as a user runs it against the running service. */
class ClientCliIT {

    private static final Pattern STAMP = Pattern.compile("^\\[\\d{2}:\\d{2}:\\d{2}] .*");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The footer under the table: the page's counts and each lint's. */
    private static final Pattern FOOTER = Pattern.compile(
            "^\\d+ shown of \\d+ matched \\(\\d+ left out\\), \\d+ total; lints: blocked_loop=\\d+ orphan=\\d+ stuck=\\d+ pinned=\\d+$");
    private static final Pattern HEADER = Pattern.compile(
            "^\\s*ID\\s+KIND\\s+STATE\\s+AGE\\s+BUSY\\s+CPU\\s+THREAD\\s+MODE\\s+WAITING ON / OUTCOME\\s+NAME$");
    /** Long enough that three client.jar runs (a JVM start each) see it in flight; the test hangs up on it when done. */
    private static final String GATHER = "/gather?ms=30000,30000";

    @Test
    void gatherReplaysTheSeedDemoAndTheTasksOverlap() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=async", "--log-level=warn")) {
            // Waits far apart, so their order is certain and "less than the sum" has a whole second of room.
            Result r = client("gather", "1000", "1500", "--url", "http://127.0.0.1:" + server.port());

            assertThat(r.exitCode).as(r.output).isZero();
            List<String> lines = r.output.lines().toList();
            assertThat(lines).allMatch(l -> STAMP.matcher(l).matches(), "stamped [HH:MM:SS]");
            List<String> unstamped = lines.stream().map(l -> l.substring(11)).toList();
            assertThat(unstamped).hasSize(6);
            assertThat(unstamped.subList(0, 3)).containsExactly(
                    "main: START run_until_complete",
                    "task-1: START (wait for 1s)",
                    "task-2: START (wait for 1.5s)");
            // Both started before either ended: the tasks overlap, each answered on an event loop.
            assertThat(unstamped.get(3)).matches("task-1: END   \\(wait for 1s, on event-loop-\\d+\\)");
            assertThat(unstamped.get(4)).matches("task-2: END   \\(wait for 1\\.5s, on event-loop-\\d+\\)");
            Matcher took = Pattern.compile("main: END   run_until_complete \\(took ([0-9.]+)s; the waits add up to 2\\.5s\\)")
                    .matcher(unstamped.get(5));
            assertThat(took.matches()).as(unstamped.get(5)).isTrue();
            assertThat(Double.parseDouble(took.group(1))).as("overlapped: at least the longest wait, less than the sum")
                    .isGreaterThanOrEqualTo(1.5).isLessThan(2.5);
        }
    }

    @Test
    void getPrintsStatusAndBodyAndFailsOnErrors() throws Exception {
        try (ServerJarProcess server = ServerProcess.start("--mode=virtual", "--log-level=warn")) {
            Result ok = client("get", "-i", "http://127.0.0.1:" + server.port() + "/sleep?ms=5");
            assertThat(ok.exitCode).isZero();
            assertThat(ok.output).startsWith("HTTP 200 (").contains("content-type: application/json",
                    "\"slept_ms\":5", "\"mode\":\"virtual\"");

            Result bad = client("get", "http://127.0.0.1:" + server.port() + "/sleep?ms=x");
            assertThat(bad.exitCode).isEqualTo(1);
            assertThat(bad.output).startsWith("HTTP 400 (").contains("bad_parameter");
        }
        Result refused = client("get", "http://127.0.0.1:1/hello");
        assertThat(refused.exitCode).isEqualTo(1);
        assertThat(refused.output.strip()).isEqualTo("error: 127.0.0.1:1: connection refused");
    }

    @Test
    void badArgumentsAreOneLine() throws Exception {
        Result r = client("gather", "20", "abc");

        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.output.strip()).isEqualTo("error: 'abc' is not a delay in milliseconds from 0 to 60000 (see --help)");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void tasksListsTheRequestInFlightWithItsSleepersAndWhereShowsOne(Mode mode) throws Exception {
        int adminPort = freePort();
        try (ServerJarProcess server = ServerProcess.start("--mode=" + mode.label(), "--log-level=warn",
                "--admin-port=" + adminPort);
             Socket held = holdInFlight(server.port(), GATHER)) {
            String admin = "http://127.0.0.1:" + adminPort;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(server.output())
                    .as("the banner names the task view on the admin port")
                    .anyMatch(line -> line.contains(admin + "/debug/tasks?format=tree")));
            awaitSleepers(adminPort, null);

            // The table: a header, the request, its two sleepers indented under it, and the footer.
            Result table = client("tasks", admin);
            assertThat(table.exitCode).as(table.output).isZero();
            List<String> lines = table.output.lines().toList();
            assertThat(lines.get(0)).as(table.output).matches(HEADER);
            int nameColumn = lines.get(0).indexOf("NAME");
            String request = row(lines, "request", "GET " + GATHER, table.output);
            assertThat(request.indexOf("GET " + GATHER)).as("the request's name starts the NAME column:%n%s", table.output)
                    .isEqualTo(nameColumn);
            assertThat(request).contains(mode.label());
            for (String sleeper : List.of("task-1", "task-2")) {
                String row = row(lines, "sleeper", sleeper, table.output);
                assertThat(row.indexOf(sleeper)).as("%s is indented under its request:%n%s", sleeper, table.output)
                        .isEqualTo(nameColumn + 2);
                assertThat(lines.indexOf(row)).as("children follow their request").isGreaterThan(lines.indexOf(request));
            }
            assertThat(lines.get(lines.size() - 1)).as(table.output).matches(FOOTER);
            assertThat(lines.get(lines.size() - 2)).isEmpty();

            // --tree: the server's own tree, as it sends it.
            Result tree = client("tasks", admin, "--tree");
            assertThat(tree.exitCode).as(tree.output).isZero();
            assertThat(tree.output.lines().findFirst()).hasValueSatisfying(
                    first -> assertThat(first).startsWith("mode " + mode.label() + ", live view: "));
            assertThat(tree.output.lines()).as(tree.output)
                    .anyMatch(l -> l.contains("request GET " + GATHER))
                    .anyMatch(l -> l.contains("sleeper task-1"))
                    .anyMatch(l -> l.contains("└─") && l.contains("sleeper task-2"));

            // where: one sleeper, its summary and where it is now.
            long id = Long.parseLong(row(lines, "sleeper", "task-1", table.output).strip().split("\\s+")[0]);
            Result where = client("where", admin, Long.toString(id));
            assertThat(where.exitCode).as(where.output).isZero();
            List<String> whereLines = where.output.lines().toList();
            assertThat(whereLines.get(0)).as(where.output).startsWith("task " + id + " sleeper \"task-1\" (" + mode.label() + ")");
            assertThat(whereLines).as(where.output).contains("where:");
            String threadState = whereLines.stream().filter(l -> l.startsWith("  thread state  ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no thread state in:\n" + where.output));
            if (mode == Mode.ASYNC) {
                // A sleeper on a timer holds no thread: what it has is a future with a stage waiting on it.
                assertThat(threadState).isEqualTo("  thread state  - (not on a thread now)");
                assertThat(whereLines).anyMatch(l -> l.matches("  future        not done, \\d+ dependent stages?"));
            } else {
                // Its own virtual thread, or the request's pool thread running it inline: asleep in Thread.sleep.
                assertThat(threadState).isEqualTo("  thread state  TIMED_WAITING");
                assertThat(whereLines).anyMatch(l -> l.startsWith("  at ") && l.contains("Thread.sleep"));
            }
        }
    }

    @Test
    void anAdminTokenIsRequiredWhenSetAndThePublicPortHasNoTaskView() throws Exception {
        int adminPort = freePort();
        String token = "t0ken-" + Long.toHexString(System.nanoTime());
        try (ServerJarProcess server = ServerProcess.start("--mode=virtual", "--log-level=warn",
                "--admin-port=" + adminPort, "--admin-token=" + token);
             Socket held = holdInFlight(server.port(), GATHER)) {
            String admin = "http://127.0.0.1:" + adminPort;
            awaitSleepers(adminPort, token);

            Result without = client("tasks", admin);
            assertThat(without.exitCode).as(without.output).isEqualTo(1);
            assertThat(without.output.strip()).as("one line, saying what to do").doesNotContain("\n")
                    .startsWith("error: HTTP 401: ").contains("--token").contains("ADMIN_TOKEN");

            Result wrong = client("tasks", admin, "--token", "not-" + token);
            assertThat(wrong.exitCode).as(wrong.output).isEqualTo(1);
            assertThat(wrong.output.strip()).startsWith("error: HTTP 401: ").contains("refused");

            Result right = client("tasks", admin, "--token", token);
            assertThat(right.exitCode).as(right.output).isZero();
            assertThat(right.output.lines()).as(right.output)
                    .anyMatch(l -> l.endsWith("GET " + GATHER))
                    .anyMatch(l -> FOOTER.matcher(l).matches());
            assertThat(right.output).doesNotContain(token);

            Result fromEnvironment = client(Map.of("ADMIN_TOKEN", token), "where", admin, Long.toString(requestTaskId(adminPort, token)));
            assertThat(fromEnvironment.exitCode).as(fromEnvironment.output).isZero();
            assertThat(fromEnvironment.output).contains("GET " + GATHER, "where:");

            // The public port serves no task view: 404, and the CLI pointed at it says what it expected.
            HttpResponse<String> publicView = Http.get(server.uri("/debug/tasks"));
            assertThat(publicView.statusCode()).isEqualTo(404);
            assertThat(Http.get(server.uri("/debug/tasks/1")).statusCode()).isEqualTo(404);
            Result wrongPort = client("tasks", "http://127.0.0.1:" + server.port(), "--token", token);
            assertThat(wrongPort.exitCode).as(wrongPort.output).isEqualTo(1);
            assertThat(wrongPort.output.strip()).startsWith("error: HTTP 404").contains("admin listener");
        }
    }

    /** The row of the table whose KIND is {@code kind} and whose NAME ends with {@code name}. */
    private static String row(List<String> lines, String kind, String name, String output) {
        return lines.stream().filter(l -> l.matches("^\\s*\\d+\\s+" + kind + "\\s.*") && l.endsWith(" " + name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " row for " + name + " in:\n" + output));
    }

    /**
     * Sends {@code GET target} on a connection of its own and leaves it in flight; closing the socket
     * hangs up, which cancels the request (its sleepers stop).
     */
    private static Socket holdInFlight(int port, String target) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: cli-it\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** Waits until the admin listener shows the held request with both its sleepers. */
    private static void awaitSleepers(int adminPort, String token) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode root = heldRequest(adminPort, token).orElseThrow(() -> new AssertionError("not in the view yet"));
            assertThat(root.path("children").findValuesAsText("name")).contains("task-1", "task-2");
        });
    }

    private static long requestTaskId(int adminPort, String token) throws IOException {
        return heldRequest(adminPort, token).orElseThrow().path("id").asLong();
    }

    private static Optional<JsonNode> heldRequest(int adminPort, String token) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/debug/tasks?path=/gather"))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = Http.send(request.build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode task : JSON.readTree(r.body()).path("tasks")) {
            if (("GET " + GATHER).equals(task.path("name").asText())) {
                return Optional.of(task);
            }
        }
        return Optional.empty();
    }

    /** A port nothing listens on now, for the admin listener (ServerJarProcess's default, 0, turns it off). */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result client(String... args) throws IOException, InterruptedException {
        return client(Map.of(), args);
    }

    /** client.jar with {@code env} added to an environment without ADMIN_TOKEN (the tests say which token they mean). */
    private static Result client(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ServerJarProcess.currentJava(), "-jar",
                Path.of(System.getProperty("client.jar", "../client-cli/target/client.jar")).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("ADMIN_TOKEN");
        builder.environment().putAll(env);
        ChildProcess.Outcome outcome = ChildProcess.run(builder, Duration.ofSeconds(60));
        return new Result(outcome.exit(), outcome.output());
    }
}
