package dev.asyncprod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * One task and where it is now, like {@code python -m asyncio ps}'s stack or {@code jstack} for one
 * thread: its summary, its children, then its thread's state and stack and its future's dependents.
 */
@Command(name = "where", mixinStandardHelpOptions = true,
        description = "Show one task and where it is: GET {admin}/debug/tasks/ID (thread state, stack, future).")
final class WhereCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "The admin listener's base URL, e.g. http://127.0.0.1:9090")
    URI url;

    @Parameters(index = "1", paramLabel = "ID", description = "The task's id, as `tasks` lists it.")
    long id;

    @Mixin
    AdminOptions admin;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AdminClient client = admin.open(url)) {
            JsonNode answer = client.getJson("/debug/tasks/" + id);
            JsonNode task = Json.object(answer, "task");
            if (task == null) {
                throw new AdminClient.Failure(client.uri("/debug/tasks/" + id) + " answered no task: " + answer);
            }
            render(task, Json.object(answer, "where")).forEach(out::println);
            out.flush();
            return 0;
        } catch (AdminClient.Failure e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static List<String> render(JsonNode task, JsonNode where) {
        List<String> lines = new ArrayList<>();
        lines.add(TaskCells.summary(task));
        JsonNode request = Json.object(task, "request");
        if (request != null) {
            lines.add(request(request));
        }
        String detail = Json.text(task, "detail");
        if (detail != null) {
            lines.add("detail: " + detail);
        }
        JsonNode children = task.get("children");
        Long leftOut = Json.number(task, "children_left_out");
        if (children != null && children.isArray() && !children.isEmpty()) {
            lines.add("");
            lines.add("children:");
            lines.addAll(TaskTable.render(children));
        }
        if (leftOut != null && leftOut > 0) {
            lines.add("(" + leftOut + " more " + (leftOut == 1 ? "child" : "children") + " left out)");
        }
        lines.add("");
        lines.addAll(where(where));
        return lines;
    }

    /** {@code request 4f2a9c, trace 0af7...: GET /gather HTTP/1.1 from 127.0.0.1:51234 (a1b2c3d4)} */
    private static String request(JsonNode request) {
        StringBuilder line = new StringBuilder("request ").append(dash(Json.text(request, "id")));
        String trace = Json.text(request, "trace_id");
        if (trace != null) {
            line.append(", trace ").append(trace);
        }
        line.append(": ").append(dash(Json.text(request, "method"))).append(' ').append(dash(Json.text(request, "target")))
                .append(' ').append(dash(Json.text(request, "protocol")));
        String connection = Json.text(request, "connection");
        if (connection != null) {
            line.append(" from ").append(connection);
        }
        return line.toString();
    }

    private static List<String> where(JsonNode where) {
        List<String> lines = new ArrayList<>();
        lines.add("where:");
        if (where == null) {
            lines.add("  (the server sent no where)");
            return lines;
        }
        String threadState = Json.text(where, "thread_state");
        lines.add("  thread state  " + (threadState == null ? "- (not on a thread now)" : threadState));
        lines.add("  container     " + dash(Json.text(where, "container")));
        JsonNode future = Json.object(where, "future");
        if (future != null) {
            boolean done = future.path("done").asBoolean();
            Long dependents = Json.number(future, "dependent_stages");
            lines.add("  future        " + (done ? "done" : "not done")
                    + (dependents == null ? "" : ", " + dependents + " dependent stage" + (dependents == 1 ? "" : "s")));
        }
        List<String> frames = new ArrayList<>();
        Json.array(where, "stack").forEach(f -> frames.add("  at " + f.asText()));
        lines.addAll(frames.isEmpty() ? List.of("  (no stack: the task is not running on a thread now)") : frames);
        return lines;
    }

    private static String dash(String text) {
        return text == null ? "-" : text;
    }
}
