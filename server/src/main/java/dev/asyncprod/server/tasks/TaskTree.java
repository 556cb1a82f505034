package dev.asyncprod.server.tasks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A page of tasks as {@code pstree} prints processes: one line per task, children indented under
 * their parent, each saying what it is, where it is, what it waits on, and for how long.
 *
 * <pre>
 * #12 request GET /gather?ms=2000,5000  waiting: its children (1 not done)  age 2,310 ms  busy 0.3 ms  event-loop-1
 * ├─ #13 sleeper task-1  done: ok  age 2,001 ms  busy 0.1 ms  event-loop-1
 * └─ #14 sleeper task-2  waiting: timer, due in 2,690 ms  age 2,310 ms  busy 0.0 ms  event-loop-1
 * </pre>
 */
final class TaskTree {

    private TaskTree() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> page) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "mode %s, %s view: %d tasks, %d matched, %d shown, %d left out%n",
                page.get("mode"), page.get("view"), (Integer) page.get("total"), (Integer) page.get("matched"),
                (Integer) page.get("shown"), (Integer) page.get("left_out")));
        for (Map<String, Object> task : (List<Map<String, Object>>) page.get("tasks")) {
            line(out, task, "", "");
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void line(StringBuilder out, Map<String, Object> t, String lead, String childLead) {
        out.append(lead).append('#').append(t.get("id")).append(' ').append(t.get("kind")).append(' ').append(t.get("name"));
        String state = (String) t.get("state");
        out.append("  ").append(state);
        if (t.get("waiting_on") != null) {
            out.append(": ").append(t.get("waiting_on"));
        } else if (t.get("outcome") instanceof Map<?, ?> outcome) {
            out.append(": ").append(outcome.get("summary"));
        }
        out.append(String.format(Locale.ROOT, "  age %,d ms  busy %.1f ms", ((Number) t.get("age_ms")).longValue(),
                ((Number) t.get("busy_us")).longValue() / 1000.0));
        if (t.get("cpu_us") instanceof Number cpu) {
            out.append(String.format(Locale.ROOT, "  cpu %.1f ms", cpu.longValue() / 1000.0));
        }
        if (t.get("thread") instanceof Map<?, ?> thread) {
            out.append("  ").append(thread.get("name"));
            if (thread.get("carrier") != null) {
                out.append(" on ").append(thread.get("carrier"));
            }
        }
        if (t.get("request") instanceof Map<?, ?> request) {
            out.append("  [").append(request.get("protocol")).append(", request ").append(request.get("id")).append(']');
        }
        if (t.get("detail") != null) {
            out.append("  [").append(t.get("detail")).append(']');
        }
        List<String> lints = (List<String>) t.get("lints");
        if (!lints.isEmpty()) {
            out.append("  !").append(String.join(" !", lints));
        }
        out.append('\n');
        List<Map<String, Object>> children = (List<Map<String, Object>>) t.get("children");
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1 && ((Number) t.get("children_left_out")).intValue() == 0;
            line(out, children.get(i), childLead + (last ? "└─ " : "├─ "), childLead + (last ? "   " : "│  "));
        }
        int dropped = ((Number) t.get("children_left_out")).intValue();
        if (dropped > 0) {
            out.append(childLead).append("└─ (").append(dropped).append(" more finished children not kept)\n");
        }
    }
}
