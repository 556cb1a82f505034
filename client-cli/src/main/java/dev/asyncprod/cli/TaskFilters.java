package dev.asyncprod.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The task view's filters, passed to the server as they are: the server checks them (a bad value
 * is its 400, whose detail the user reads), so the CLI never disagrees with it about what is valid.
 */
final class TaskFilters {

    @Option(names = "--finished", description = "The ring of finished tasks instead of the live ones.")
    boolean finished;

    @Option(names = "--min-age", paramLabel = "MS", description = "Only roots at least this old, in milliseconds.")
    Long minAgeMs;

    @Option(names = "--path", paramLabel = "PREFIX", description = "Only requests whose path starts with PREFIX, e.g. /gather.")
    String path;

    @Option(names = "--state", paramLabel = "STATE",
            description = "Only roots with a task in this state: queued, running, waiting or done.")
    String state;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Only roots with a task of this kind: request, delivery, sleeper, http_call, query or commit.")
    String kind;

    @Option(names = "--limit", paramLabel = "N", description = "At most N roots, 1-1000 (the server's default: 100).")
    Integer limit;

    /** {@code /debug/tasks?...}: the filters given, plus {@code format=tree} when asked for the tree. */
    String pathAndQuery(boolean tree) {
        List<String> query = new ArrayList<>();
        if (tree) {
            query.add("format=tree");
        }
        add(query, "min_age", minAgeMs);
        add(query, "path", path);
        add(query, "state", state);
        add(query, "kind", kind);
        add(query, "limit", limit);
        if (finished) {
            query.add("finished=true");
        }
        return "/debug/tasks" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    }

    private static void add(List<String> query, String name, Object value) {
        if (value != null) {
            query.add(name + "=" + encode(value.toString()));
        }
    }

    /** Percent-encoding for a query value; a path's slashes stay readable, a space is %20. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }
}
