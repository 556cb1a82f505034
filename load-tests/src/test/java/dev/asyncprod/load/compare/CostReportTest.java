package dev.asyncprod.load.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.asyncprod.load.gen.ErrorKind;
import dev.asyncprod.load.gen.LoadResult;
import dev.asyncprod.load.gen.LoadSpec;
import dev.asyncprod.load.report.ResultJson;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report leads each cell with its cost over bare Netty's, then the rates; a stolen cell says so. */
class CostReportTest {

    private static final Cell HELLO = Cell.closed("hello", "/hello", 8, 0, 0);
    private static final Cell GATHER = Cell.closed("gather", "/gather?ms=50,100,200", 100, 200, 350);

    // 10,000 requests each: bare Netty 20 µs and 0.04 switches, async 22.4 µs and 0.06, blocking stolen from.
    private final CellResult bare = result(HELLO, ServerUnderTest.REFERENCE, 10_000, new ServerCost(10_000, 200_000_000, 300, 100, 0.001));
    private final CellResult async = result(HELLO, "async", 9_000, new ServerCost(10_000, 224_000_000, 500, 100, 0.004));
    private final CellResult blocking = result(HELLO, "blocking", 5_000, new ServerCost(10_000, 400_000_000, 20_000, 4_000, 0.031));
    private final CellResult gather = result(GATHER, "async", 500, new ServerCost(1_000, 45_000_000, 900, 20, 0.0));
    private final CellResult attached = result(HELLO, "virtual", 8_000, null);
    private final List<CellResult> results = List.of(bare, async, blocking, gather, attached);

    @Test
    void eachModeReadsItsCostAsARatioOfBareNettysInTheSameCell() {
        assertThat(CostReport.cpuRatio(async, results)).contains(1.12);
        assertThat(CostReport.switchesRatio(async, results)).contains(1.5);
        assertThat(CostReport.cpuRatio(bare, results)).isEmpty();
        assertThat(CostReport.cpuRatio(gather, results)).as("a path bare Netty does not serve").isEmpty();
        assertThat(CostReport.cpuRatio(attached, results)).as("no reading").isEmpty();
    }

    @Test
    void theMarkdownLeadsWithTheCostThenTheTableHasItBeforeTheRates() {
        String md = Reports.markdown(results, Map.of());

        assertThat(md).contains("**hello-c8** (`/hello`, 8 connections): bare Netty spends 20.0 µs of CPU and 0.040 context switches per request\n")
                .contains("- async spends 1.12x bare Netty's CPU per request and 1.50x its context switches (22.4 µs, 0.060 switches),"
                        + " at 0.90x its req/s\n")
                .contains("- blocking spends 2.00x bare Netty's CPU per request and 60.00x its context switches (40.0 µs, 2.400 switches),"
                        + " at 0.50x its req/s; stolen: 3.1% of the machine's CPU time went to other guests\n")
                .contains("- virtual: no reading of its cost")
                .contains("**gather-c100** (`/gather?ms=50,100,200`, 100 connections): no bare Netty figure for this path\n\n"
                        + "- async spends 45.0 µs, 0.920 switches per request\n");
        assertThat(md.indexOf("## What a request costs")).isLessThan(md.indexOf("## All cells"));
        assertThat(md).contains("| hello-c8 | `/hello` | 8 | async | 1.12x | 1.50x | 22.4 | 0.060 | 9,000 |")
                .contains("| hello-c8 | `/hello` | 8 | bare-netty | - | - | 20.0 | 0.040 | 10,000 |")
                .containsPattern("\\| hello-c8 \\| .*\\| blocking \\| 2\\.00x \\| 60\\.00x \\|.*\\| 0\\.50x \\| stolen 3\\.1% \\|\n")
                .containsPattern("\\| hello-c8 \\| .*\\| async \\|.*\\| 0\\.90x \\| 0\\.4% \\|\n")
                .containsPattern("\\| hello-c8 \\| .*\\| virtual \\| - \\| - \\| - \\| - \\| 8,000 \\|.*\\| - \\|\n");
    }

    @Test
    void theHtmlHasTheLinesAndACostChart() {
        String html = Reports.html(results, Map.of());

        assertThat(html).contains("async spends 1.12x bare Netty&#39;s CPU per request", "CPU per request (µs, log)",
                "Context switches per request (log)", "<th>CPU/req vs bare Netty</th>").doesNotContain("NaN");
    }

    @Test
    void theJsonCarriesTheFiguresAndTheRatios() {
        Map<String, Object> json = async.cost().toJson(bare.cost());

        assertThat(json).containsEntry("requests", 10_000L).containsEntry("cpu_us_per_request", 22.4)
                .containsEntry("switches_per_request", 0.06).containsEntry("voluntary_switches_per_request", 0.05)
                .containsEntry("involuntary_switches_per_request", 0.01).containsEntry("steal_percent", 0.4)
                .containsEntry("stolen", false).containsEntry("vs_reference", Map.of("cpu_per_request", 1.12, "switches_per_request", 1.5));
        assertThat(blocking.cost().toJson(null)).containsEntry("stolen", true).doesNotContainKey("vs_reference");
    }

    @Test
    void aCellsJsonWithItsCostFollowsThePublishedSchema() throws Exception {
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("result.schema", "result.schema.json")))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        for (CellResult r : List.of(bare, async, blocking)) {
            Map<String, Object> json = ResultJson.toMap(r.load());
            json.put("server_cost", r.cost().toJson(CostReport.reference(r, results).orElse(null)));

            assertThat(schema.validate(new ObjectMapper().valueToTree(json))).as(r.mode()).isEmpty();
        }
        Map<String, Object> wrong = ResultJson.toMap(async.load());
        wrong.put("server_cost", Map.of("requests", 1, "cpu_us", 3));
        assertThat(schema.validate(new ObjectMapper().valueToTree(wrong))).as("a cost the schema does not know").isNotEmpty();
    }

    @Test
    void aWindowWithoutAnswersHasNoCostPerRequest() {
        ServerCost none = new ServerCost(0, 5_000_000, 10, 0, Double.NaN);

        assertThat(none.cpuMicrosPerRequest()).isNaN();
        assertThat(none.toJson(null)).containsOnlyKeys("requests", "cpu_ms", "voluntary_switches", "involuntary_switches");
    }

    /** A one-second result of {@code rps} answers with status 200. */
    private static CellResult result(Cell cell, String mode, long rps, ServerCost cost) {
        LoadSpec spec = new LoadSpec(URI.create("http://127.0.0.1:8080" + cell.path()), "GET", Map.of(), new byte[0],
                cell.connections(), 1, Duration.ofSeconds(1), Duration.ofSeconds(30), 0, Duration.ZERO);
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, 0L);
        }
        Histogram latency = new Histogram(3);
        for (long us = 200; us <= 20_000; us += 200) {
            latency.recordValue(us);
        }
        LoadResult load = new LoadResult(spec, 0, 1.0, rps, errors, 0, 0, latency, latency, List.of(rps), 0, Map.of(200, rps), null);
        return new CellResult(cell, mode, load, 20, 100_000, 0, cost);
    }
}
