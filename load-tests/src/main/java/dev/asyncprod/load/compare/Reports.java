package dev.asyncprod.load.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asyncprod.load.report.Percentiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** {@code report.md} and {@code report.html} from the matrix's results. */
final class Reports {

    private Reports() {
    }

    static String markdown(List<CellResult> results, Map<String, Object> env) {
        StringBuilder md = new StringBuilder("# Execution models compared\n\n");
        md.append(environmentLine(env)).append("\n\n");
        md.append("## What a request costs the server, against bare Netty\n\n");
        md.append("The server process's CPU time (user and system) and context switches (voluntary and involuntary, all its "
                + "threads) over each cell's measured window, from /proc, divided by the requests answered in it; as a ratio "
                + "of the bare Netty reference's (`load-tests.jar reference-server`, the codec and nothing else) in the same "
                + "cell, measured first in the same run. A cell marked stolen lost more than "
                + Math.round(100 * ServerCost.STOLEN) + "% of the machine's CPU time to other guests (`steal` in /proc/stat).\n\n");
        md.append(CostReport.markdown(results));
        md.append("## All cells\n\n");
        md.append("CPU/req and switches/req: the cost above, over bare Netty's and as measured. Closed-model cells: latency from "
                + "the actual send. Open-model cells (`-r*`): latency from the intended send "
                + "(coordinated omission corrected). Threads and RSS: the server's peak during the cell, from /proc. "
                + "Bound: the Little's-law limit for the mode (connections, or the blocking pool's threads, or the database pool for a wait "
                + "that holds a connection, over the designed wait; the target rate in the open model); of bound counts answers "
                + "without errors only. req/s vs bare Netty: req/s over the reference's in the same cell. Steal: the share of the "
                + "machine's CPU time the hypervisor gave to other guests during the cell.\n\n");
        md.append(table(results));
        return md.toString();
    }

    static String table(List<CellResult> results) {
        StringBuilder t = new StringBuilder();
        t.append("| cell | path | connections | mode | CPU/req vs bare Netty | switches/req vs bare Netty | CPU µs/req | switches/req "
                + "| req/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | threads | RSS MiB | bound req/s | of bound | req/s vs bare Netty "
                + "| steal |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (CellResult r : results) {
            Histogram h = r.latency();
            t.append(String.format(Locale.ROOT, "| %s | `%s` | %d%s | %s | %s "
                            + "| %,.0f | %s | %s | %s | %s | %d | %d | %d | %s | %s | %s | %s |%n",
                    r.cell().name(), r.cell().path(), r.cell().connections(),
                    r.cell().openModel() ? String.format(Locale.ROOT, " @ %,.0f/s", r.cell().rate()) : "",
                    r.mode(), String.join(" | ", CostReport.columns(r, results)), r.load().rps(),
                    Percentiles.fmt(Percentiles.at(h, 50)), Percentiles.fmt(Percentiles.at(h, 99)), Percentiles.fmt(Percentiles.at(h, 99.9)), Percentiles.fmt(Percentiles.at(h, 100)), r.load().errorsTotal(),
                    r.peakThreads(), r.peakRssKb() / 1024,
                    r.bound() > 0 ? String.format(Locale.ROOT, "%,.0f", r.bound()) : "-",
                    Double.isNaN(r.fractionOfBound()) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.fractionOfBound()),
                    ratio(r, results).map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-"), CostReport.steal(r)));
        }
        return t.toString();
    }

    /**
     * A mode's req/s over the bare Netty reference's in the same cell of the same run; empty for the
     * reference itself, a cell it does not serve, or a run without it.
     */
    static Optional<Double> ratio(CellResult r, List<CellResult> results) {
        if (r.mode().equals(ServerUnderTest.REFERENCE)) {
            return Optional.empty();
        }
        return results.stream()
                .filter(x -> x.mode().equals(ServerUnderTest.REFERENCE) && x.cell().equals(r.cell()) && x.load().rps() > 0)
                .findFirst().map(x -> r.load().rps() / x.load().rps());
    }

    /** The ratio as the console prints it after a cell, or nothing. */
    static String ratioNote(CellResult r, List<CellResult> results) {
        return ratio(r, results).map(x -> String.format(Locale.ROOT, "  %.2fx bare Netty's req/s", x)).orElse("");
    }

    static String html(List<CellResult> results, Map<String, Object> env) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset='utf-8'><title>Execution models compared</title><style>"
                + "body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:13px}"
                + "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f4f4f4}"
                + "td:nth-child(-n+4){text-align:left}.charts{display:flex;flex-wrap:wrap;gap:12px}</style></head><body>");
        html.append("<h1>Execution models compared</h1><p>").append(SvgChart.escape(environmentLine(env))).append("</p>");
        html.append("<h2>What a request costs the server, against bare Netty</h2>").append(CostReport.html(results));
        html.append("<h2>Throughput against connections</h2><div class='charts'>");
        html.append(throughputChart(results));
        html.append("</div><h2>Latency percentiles per cell</h2><div class='charts'>");
        for (String cell : cellNames(results)) {
            Map<String, double[]> series = new LinkedHashMap<>();
            for (CellResult r : results) {
                if (r.cell().name().equals(cell)) {
                    series.put(r.mode(), Percentiles.all(r.latency()));
                }
            }
            html.append(SvgChart.lines(cell + " latency (ms, log)", Percentiles.LABELS, series, true, "ms"));
        }
        html.append("</div><h2>All cells</h2>").append(htmlTable(results)).append("</body></html>\n");
        return html.toString();
    }

    /** req/s of the closed-model /sleep cells against their connection counts, one line per mode. */
    private static String throughputChart(List<CellResult> results) {
        List<String> sleepCells = new ArrayList<>();
        for (CellResult r : results) {
            if (!r.cell().openModel() && r.cell().path().startsWith("/sleep") && !sleepCells.contains(r.cell().name())) {
                sleepCells.add(r.cell().name());
            }
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        for (String cell : sleepCells) {
            results.stream().filter(r -> r.cell().name().equals(cell)).findFirst()
                    .ifPresent(r -> labels.add(r.cell().connections() + " conns"));
        }
        for (CellResult r : results) {
            int i = sleepCells.indexOf(r.cell().name());
            if (i >= 0) {
                series.computeIfAbsent(r.mode(), m -> new double[sleepCells.size()])[i] = r.load().rps();
            }
        }
        return SvgChart.lines("GET /sleep: req/s against connections", labels, series, false, "req/s");
    }

    private static String htmlTable(List<CellResult> results) {
        String[] lines = table(results).split("\n");
        StringBuilder t = new StringBuilder("<table>");
        for (int i = 0; i < lines.length; i++) {
            if (i == 1) {
                continue; // the markdown separator row
            }
            String[] cells = lines[i].substring(1, lines[i].length() - 1).split("\\|");
            t.append("<tr>");
            for (String c : cells) {
                String tag = i == 0 ? "th" : "td";
                t.append('<').append(tag).append('>').append(SvgChart.escape(c.trim().replace("`", ""))).append("</").append(tag).append('>');
            }
            t.append("</tr>");
        }
        return t.append("</table>").toString();
    }

    private static Set<String> cellNames(List<CellResult> results) {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> names.add(r.cell().name()));
        return names;
    }


    @SuppressWarnings("unchecked")
    static String environmentLine(Map<String, Object> env) {
        Map<String, Object> servers = (Map<String, Object>) env.get("servers");
        String transport = "?";
        String serverJdk = "?";
        if (servers != null && !servers.isEmpty()) {
            JsonNode any = (JsonNode) servers.values().iterator().next();
            transport = any.path("transport").asText("?");
            serverJdk = any.path("java_version").asText("?");
        }
        return String.format(Locale.ROOT, "Measured %s on %s cores, %s GiB, %s; servers on JDK %s (%s), generator %s with %s thread(s); "
                        + "Netty %s; %ss per cell after %ss warm-up.",
                env.get("date"), env.get("cores"), env.get("memory_gib"), env.get("os"), serverJdk, transport,
                env.get("generator_jdk"), env.get("generator_threads"), env.get("netty"),
                env.get("cell_duration_s"), env.get("cell_warmup_s"));
    }
}
