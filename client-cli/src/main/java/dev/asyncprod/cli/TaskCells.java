package dev.asyncprod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One task of the view's JSON as the words a person reads: each table cell, and the one-line summary. */
final class TaskCells {

    private TaskCells() {
    }

    static String id(JsonNode task) {
        return orDash(Json.text(task, "id"));
    }

    static String kind(JsonNode task) {
        return orDash(Json.text(task, "kind"));
    }

    static String state(JsonNode task) {
        return orDash(Json.text(task, "state"));
    }

    static String mode(JsonNode task) {
        return orDash(Json.text(task, "mode"));
    }

    /** Milliseconds with thousands separators: {@code 2,310}. */
    static String ageMs(JsonNode task) {
        Long ms = Json.number(task, "age_ms");
        return ms == null ? "-" : String.format(Locale.US, "%,d", ms);
    }

    /** Time on a thread, in milliseconds with one decimal: {@code 0.3}. */
    static String busyMs(JsonNode task) {
        return microsAsMs(Json.number(task, "busy_us"));
    }

    /** CPU time in milliseconds with one decimal, {@code -} when the server could not measure it. */
    static String cpuMs(JsonNode task) {
        return microsAsMs(Json.number(task, "cpu_us"));
    }

    /** The thread's name, {@code vt-12 on ForkJoinPool-1-worker-3} for a virtual thread; {@code -} if it never ran. */
    static String thread(JsonNode task) {
        JsonNode thread = Json.object(task, "thread");
        if (thread == null) {
            return "-";
        }
        String carrier = Json.text(thread, "carrier");
        return orDash(Json.text(thread, "name")) + (carrier == null ? "" : " on " + carrier);
    }

    /** What a waiting task waits on, how a done task ended; {@code -} otherwise. */
    static String waitingOrOutcome(JsonNode task) {
        String waitingOn = Json.text(task, "waiting_on");
        if (waitingOn != null) {
            return waitingOn;
        }
        JsonNode outcome = Json.object(task, "outcome");
        return outcome == null ? "-" : outcome(outcome);
    }

    /** The name, with the task's lints after it when it has any: {@code GET /slow  [stuck, orphan]}. */
    static String nameWithLints(JsonNode task) {
        String name = orDash(Json.text(task, "name"));
        List<String> lints = lints(task);
        return lints.isEmpty() ? name : name + "  [" + String.join(", ", lints) + "]";
    }

    static List<String> lints(JsonNode task) {
        List<String> lints = new ArrayList<>();
        Json.array(task, "lints").forEach(l -> lints.add(l.asText()));
        return lints;
    }

    /**
     * One line: {@code task 12 request "GET /gather?ms=2000,5000" (async): waiting on its children (1 not done);
     * age 2,310 ms, busy 0.3 ms, cpu -, thread event-loop-1}.
     */
    static String summary(JsonNode task) {
        StringBuilder line = new StringBuilder()
                .append("task ").append(id(task)).append(' ').append(kind(task))
                .append(" \"").append(orDash(Json.text(task, "name"))).append("\" (").append(mode(task)).append("): ")
                .append(state(task));
        String waitingOn = Json.text(task, "waiting_on");
        JsonNode outcome = Json.object(task, "outcome");
        if (waitingOn != null) {
            line.append(" on ").append(waitingOn);
        } else if (outcome != null) {
            line.append(": ").append(outcome(outcome));
        }
        line.append("; age ").append(ageMs(task)).append(" ms, busy ").append(busyMs(task))
                .append(" ms, cpu ").append(cpuMs(task)).append("-".equals(cpuMs(task)) ? "" : " ms")
                .append(", thread ").append(thread(task));
        JsonNode thread = Json.object(task, "thread");
        if (thread != null && thread.path("alive").isBoolean() && !thread.path("alive").asBoolean()) {
            line.append(" (ended)");
        }
        List<String> lints = lints(task);
        if (!lints.isEmpty()) {
            line.append("; lints: ").append(String.join(", ", lints));
        }
        return line.toString();
    }

    /** The server's summary of an outcome, or one made the same way from its parts. */
    private static String outcome(JsonNode outcome) {
        String summary = Json.text(outcome, "summary");
        if (summary != null) {
            return summary;
        }
        String cancelled = Json.text(outcome, "cancelled");
        String error = Json.text(outcome, "error");
        Long status = Json.number(outcome, "status");
        if (cancelled != null) {
            return "cancelled: " + cancelled;
        }
        if (error != null) {
            return "failed: " + error;
        }
        return status != null && status > 0 ? "status " + status : "ok";
    }

    private static String microsAsMs(Long micros) {
        return micros == null ? "-" : String.format(Locale.US, "%,.1f", micros / 1000.0);
    }

    private static String orDash(String text) {
        return text == null || text.isEmpty() ? "-" : text;
    }
}
