package dev.asyncprod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.common.cli.DurationConverter;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The server's live tasks, like {@code ps}: a table of the root tasks with their children under
 * them, or the server's own tree ({@code --tree}), once or redrawn like {@code top} ({@code --watch}).
 */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = "List the server's tasks (GET {admin}/debug/tasks): a ps-like table, or the server's tree.")
final class TasksCommand implements Callable<Integer> {

    /** Moves the cursor home and clears the screen, as {@code top} and {@code watch} do. */
    static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    enum Sort { age, busy }

    @Parameters(paramLabel = "URL", description = "The admin listener's base URL, e.g. http://127.0.0.1:9090")
    URI url;

    @Mixin
    TaskFilters filters;

    @Mixin
    AdminOptions admin;

    @Option(names = "--tree", description = "Print the server's tree (?format=tree) as it sends it, instead of the table.")
    boolean tree;

    @Option(names = "--sort", defaultValue = "age", paramLabel = "age|busy",
            description = "Order of the roots in the table: age (oldest first) or busy (most busy first). Default: ${DEFAULT-VALUE}")
    Sort sort;

    @Option(names = "--watch", description = "Redraw every --interval, like top, until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval", defaultValue = "1s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time between redraws with --watch, e.g. 500ms, 2s. Default: ${DEFAULT-VALUE}")
    Duration interval;

    @Option(names = "--iterations", paramLabel = "N", description = "With --watch: stop after N draws.")
    Integer iterations;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        String pathAndQuery = filters.pathAndQuery(tree);
        try (AdminClient client = admin.open(url)) {
            for (int draw = 1; ; draw++) {
                String screen = draw(client, pathAndQuery);
                if (watch) {
                    out.print(CLEAR_SCREEN);
                    out.println("Every " + AsyncioStyleLog.seconds(interval.toMillis()) + ": "
                            + client.uri(pathAndQuery) + "    " + LocalTime.now().format(CLOCK));
                    out.println();
                }
                out.print(screen);
                out.flush();
                if (!watch || (iterations != null && draw >= iterations)) {
                    return 0;
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (AdminClient.Failure e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + e.getMessage() + (e.status() == 404
                    ? " (is " + url + " the server's admin listener, which serves /debug/tasks?)" : ""));
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** One screenful, ending in a newline: the server's tree as it sent it, or the table and its footer. */
    private String draw(AdminClient client, String pathAndQuery) throws AdminClient.Failure, InterruptedException {
        if (tree) {
            String body = client.getText(pathAndQuery);
            return body.endsWith("\n") ? body : body + System.lineSeparator();
        }
        JsonNode page = client.getJson(pathAndQuery);
        List<String> lines = new ArrayList<>(TaskTable.render(sorted(page)));
        lines.add("");
        lines.add(TaskTable.footer(page));
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private List<JsonNode> sorted(JsonNode page) {
        List<JsonNode> roots = new ArrayList<>();
        Json.array(page, "tasks").forEach(roots::add);
        Comparator<JsonNode> order = switch (sort) {
            case age -> Comparator.comparingLong((JsonNode t) -> t.path("age_ms").asLong()).reversed();
            case busy -> Comparator.comparingLong((JsonNode t) -> t.path("busy_us").asLong()).reversed();
        };
        roots.sort(order.thenComparingLong(t -> t.path("id").asLong()));
        return roots;
    }

    private void checkOptions() {
        if (interval.isZero() || interval.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--interval must be more than 0");
        }
        if (iterations != null && iterations < 1) {
            throw new ParameterException(spec.commandLine(), "--iterations must be 1 or more");
        }
        if (iterations != null && !watch) {
            throw new ParameterException(spec.commandLine(), "--iterations goes with --watch");
        }
    }
}
