package dev.asyncprod.load.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a request costs the server in each cell, as the report leads with it: each mode's CPU time
 * and context switches per request over the bare Netty reference's in the same cell of the same
 * run, then the absolute figures. Ratios first, because they hold across machines and days where
 * req/s moves by a third.
 */
final class CostReport {

    private CostReport() {
    }

    /** One cell's lines: its name, what it loads and bare Netty's own cost, then one line per mode. */
    record Block(String cell, String about, List<String> lines) {
    }

    /** The reference's cost in the same cell of the same run; empty for the reference itself, or where there is none. */
    static Optional<ServerCost> reference(CellResult r, List<CellResult> results) {
        if (r.mode().equals(ServerUnderTest.REFERENCE)) {
            return Optional.empty();
        }
        return results.stream()
                .filter(x -> x.mode().equals(ServerUnderTest.REFERENCE) && x.cell().equals(r.cell()) && x.cost() != null)
                .findFirst().map(CellResult::cost);
    }

    static Optional<Double> cpuRatio(CellResult r, List<CellResult> results) {
        return r.cost() == null ? Optional.empty() : reference(r, results)
                .flatMap(ref -> ServerCost.ratio(r.cost().cpuMicrosPerRequest(), ref.cpuMicrosPerRequest()));
    }

    static Optional<Double> switchesRatio(CellResult r, List<CellResult> results) {
        return r.cost() == null ? Optional.empty() : reference(r, results)
                .flatMap(ref -> ServerCost.ratio(r.cost().switchesPerRequest(), ref.switchesPerRequest()));
    }

    /** The table's cost columns: CPU and switches per request over bare Netty's, then both as they are. */
    static List<String> columns(CellResult r, List<CellResult> results) {
        return List.of(x(cpuRatio(r, results)), x(switchesRatio(r, results)),
                r.cost() == null ? "-" : micros(r.cost().cpuMicrosPerRequest()),
                r.cost() == null ? "-" : switches(r.cost().switchesPerRequest()));
    }

    /** The table's steal column: the stolen share of the window, marked when it is above {@link ServerCost#STOLEN}. */
    static String steal(CellResult r) {
        if (r.cost() == null || Double.isNaN(r.cost().stealShare())) {
            return "-";
        }
        String share = String.format(Locale.ROOT, "%.1f%%", 100 * r.cost().stealShare());
        return r.cost().stolen() ? "stolen " + share : share;
    }

    /** Every cell's lines, in the matrix's order. */
    static List<Block> blocks(List<CellResult> results) {
        Set<Cell> cells = new LinkedHashSet<>();
        results.forEach(r -> cells.add(r.cell()));
        List<Block> blocks = new ArrayList<>();
        for (Cell cell : cells) {
            List<CellResult> rows = results.stream().filter(r -> r.cell().equals(cell)).toList();
            Optional<CellResult> bare = rows.stream().filter(r -> r.mode().equals(ServerUnderTest.REFERENCE)).findFirst();
            String about = String.format(Locale.ROOT, "(`%s`, %d connections%s): %s", cell.path(), cell.connections(),
                    cell.openModel() ? String.format(Locale.ROOT, " at %,.0f req/s", cell.rate()) : "",
                    bare.map(CostReport::referenceLine).orElse("no bare Netty figure for this path"));
            List<String> lines = new ArrayList<>();
            rows.stream().filter(r -> !r.mode().equals(ServerUnderTest.REFERENCE)).forEach(r -> lines.add(modeLine(r, results)));
            blocks.add(new Block(cell.name(), about, lines));
        }
        return blocks;
    }

    static String markdown(List<CellResult> results) {
        StringBuilder md = new StringBuilder();
        for (Block b : blocks(results)) {
            md.append("**").append(b.cell()).append("** ").append(b.about()).append("\n\n");
            b.lines().forEach(line -> md.append("- ").append(line).append('\n'));
            md.append('\n');
        }
        return md.toString();
    }

    static String html(List<CellResult> results) {
        StringBuilder html = new StringBuilder();
        for (Block b : blocks(results)) {
            html.append("<p><b>").append(SvgChart.escape(b.cell())).append("</b> ")
                    .append(SvgChart.escape(b.about().replace("`", ""))).append("</p><ul>");
            b.lines().forEach(line -> html.append("<li>").append(SvgChart.escape(line)).append("</li>"));
            html.append("</ul>");
        }
        html.append("<div class='charts'>")
                .append(chart("CPU per request (µs, log)", results, c -> c.cpuMicrosPerRequest(), "µs"))
                .append(chart("Context switches per request (log)", results, c -> c.switchesPerRequest(), "switches"))
                .append("</div>");
        return html.toString();
    }

    /** What the console prints after a cell: the cost and its ratios, or nothing without a reading. */
    static String note(CellResult r, List<CellResult> results) {
        if (r.cost() == null) {
            return "";
        }
        String ratios = cpuRatio(r, results).map(x -> String.format(Locale.ROOT, " (%.2fx)", x)).orElse("");
        String switchRatio = switchesRatio(r, results).map(x -> String.format(Locale.ROOT, " (%.2fx)", x)).orElse("");
        return String.format(Locale.ROOT, "  cpu %s us/req%s  switches %s/req%s%s", micros(r.cost().cpuMicrosPerRequest()), ratios,
                switches(r.cost().switchesPerRequest()), switchRatio, r.cost().stolen() ? "  " + steal(r).toUpperCase(Locale.ROOT) : "");
    }

    private static String referenceLine(CellResult bare) {
        if (bare.cost() == null) {
            return "no reading of bare Netty's cost";
        }
        return String.format(Locale.ROOT, "bare Netty spends %s µs of CPU and %s context switches per request%s",
                micros(bare.cost().cpuMicrosPerRequest()), switches(bare.cost().switchesPerRequest()), stolenNote(bare));
    }

    private static String modeLine(CellResult r, List<CellResult> results) {
        if (r.cost() == null) {
            return r.mode() + ": no reading of its cost (a server attached with --url, or no /proc)";
        }
        String absolute = micros(r.cost().cpuMicrosPerRequest()) + " µs, " + switches(r.cost().switchesPerRequest()) + " switches";
        Optional<Double> cpu = cpuRatio(r, results);
        String rate = Reports.ratio(r, results).map(x -> String.format(Locale.ROOT, ", at %.2fx its req/s", x)).orElse("");
        if (cpu.isEmpty()) {
            return r.mode() + " spends " + absolute + " per request" + stolenNote(r);
        }
        String switchesRatio = switchesRatio(r, results).map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-");
        return String.format(Locale.ROOT, "%s spends %.2fx bare Netty's CPU per request and %s its context switches (%s)%s%s",
                r.mode(), cpu.get(), switchesRatio, absolute, rate, stolenNote(r));
    }

    private static String stolenNote(CellResult r) {
        return r.cost() != null && r.cost().stolen()
                ? String.format(Locale.ROOT, "; stolen: %.1f%% of the machine's CPU time went to other guests", 100 * r.cost().stealShare())
                : "";
    }

    private static String chart(String title, List<CellResult> results, java.util.function.ToDoubleFunction<ServerCost> value, String unit) {
        List<String> cells = new ArrayList<>();
        results.forEach(r -> {
            if (!cells.contains(r.cell().name())) {
                cells.add(r.cell().name());
            }
        });
        Map<String, double[]> series = new LinkedHashMap<>();
        for (CellResult r : results) {
            double[] line = series.computeIfAbsent(r.mode(), m -> new double[cells.size()]);
            double v = r.cost() == null ? 0 : value.applyAsDouble(r.cost());
            line[cells.indexOf(r.cell().name())] = Double.isNaN(v) ? 0 : v; // no point: a log chart skips it
        }
        return SvgChart.lines(title, cells, series, true, unit);
    }

    private static String x(Optional<Double> ratio) {
        return ratio.map(x -> String.format(Locale.ROOT, "%.2fx", x)).orElse("-");
    }

    static String micros(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String switches(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
