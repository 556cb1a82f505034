package dev.asyncprod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A {@code ps}-like table of tasks: one row per task, each child under its parent with its name
 * indented two spaces per level, so the rows keep the tree's shape (the tree itself is the
 * server's {@code ?format=tree}). Columns are as wide as their widest cell; numbers align right.
 */
final class TaskTable {

    static final List<String> HEADER = List.of(
            "ID", "KIND", "STATE", "AGE", "BUSY", "CPU", "THREAD", "MODE", "WAITING ON / OUTCOME", "NAME");
    private static final boolean[] RIGHT = {true, false, false, true, true, true, false, false, false, false};
    private static final String INDENT = "  ";

    private TaskTable() {
    }

    /** The header and one row per task, each root followed by its children, depth first. */
    static List<String> render(Iterable<JsonNode> roots) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode root : roots) {
            addRows(rows, root, 0);
        }
        return align(rows);
    }

    /**
     * {@code 1 shown of 1 matched (0 left out), 3 total; lints: blocked_loop=0 orphan=0 stuck=0 pinned=0}:
     * the page's counts, and how many tasks each lint flagged.
     */
    static String footer(JsonNode page) {
        StringJoiner lints = new StringJoiner(" ");
        JsonNode counts = Json.object(page, "lints");
        if (counts != null) {
            for (Map.Entry<String, JsonNode> lint : counts.properties()) {
                lints.add(lint.getKey() + "=" + lint.getValue().asText());
            }
        }
        return count(page, "shown") + " shown of " + count(page, "matched") + " matched ("
                + count(page, "left_out") + " left out), " + count(page, "total") + " total; lints: "
                + (lints.length() == 0 ? "-" : lints.toString());
    }

    private static String count(JsonNode page, String field) {
        Long n = Json.number(page, field);
        return n == null ? "?" : String.format(Locale.US, "%,d", n);
    }

    private static void addRows(List<List<String>> rows, JsonNode task, int depth) {
        String indent = INDENT.repeat(depth);
        rows.add(List.of(TaskCells.id(task), TaskCells.kind(task), TaskCells.state(task), TaskCells.ageMs(task),
                TaskCells.busyMs(task), TaskCells.cpuMs(task), TaskCells.thread(task), TaskCells.mode(task),
                TaskCells.waitingOrOutcome(task), indent + TaskCells.nameWithLints(task)));
        for (JsonNode child : Json.array(task, "children")) {
            addRows(rows, child, depth + 1);
        }
        Long leftOut = Json.number(task, "children_left_out");
        if (leftOut != null && leftOut > 0) {
            List<String> note = new ArrayList<>(Collections.nCopies(HEADER.size() - 1, ""));
            note.add(indent + INDENT + "(" + leftOut + " more " + (leftOut == 1 ? "child" : "children") + " left out)");
            rows.add(note);
        }
    }

    private static List<String> align(List<List<String>> rows) {
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        List<String> lines = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = row.get(c);
                String pad = " ".repeat(width[c] - cell.length());
                line.append(RIGHT[c] ? pad + cell : c == row.size() - 1 ? cell : cell + pad);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
