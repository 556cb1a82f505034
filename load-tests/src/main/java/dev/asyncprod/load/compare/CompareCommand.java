package dev.asyncprod.load.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.asyncprod.common.cli.DurationConverter;
import dev.asyncprod.common.process.PostgresCluster;
import dev.asyncprod.common.process.ProcStatus;
import dev.asyncprod.load.gen.LoadGenerator;
import dev.asyncprod.load.gen.LoadResult;
import dev.asyncprod.load.gen.LoadSpec;
import dev.asyncprod.load.gen.WindowListener;
import dev.asyncprod.load.report.HlogWriter;
import dev.asyncprod.load.report.ResultJson;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code compare}: the scenario matrix against each execution model, one server at a time, with
 * the same generator, warm-up and durations, then {@code report.md}, {@code report.html}, and the
 * raw JSON and interval logs of every cell. For a server started here, each cell also reads what its
 * requests cost the server (CPU time and context switches from {@code /proc}, {@link CostWindow}).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the comparison matrix against async, blocking and virtual servers and write report.md and report.html.",
                "Starts server/target/server.jar in each mode on a free loopback port, or measures servers already running (--url)."})
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--modes", split = ",", defaultValue = "async,blocking,virtual,virtual-loop",
            description = "Modes to compare. Default: ${DEFAULT-VALUE}")
    List<String> modes;

    @Option(names = "--url", paramLabel = "MODE=URL", description = "Measure a running server instead of starting one, e.g. async=http://127.0.0.1:8080 (repeatable).")
    Map<String, URI> urls = new LinkedHashMap<>();

    @Option(names = "--server-jar", defaultValue = "server/target/server.jar", description = "Default: ${DEFAULT-VALUE}")
    Path serverJar;

    @Option(names = "--server-arg", paramLabel = "FLAG",
            description = "One more flag for every server started here, after the mode's own, e.g."
                    + " --server-arg=--transport=io_uring (repeatable). The bare reference keeps its defaults, so the"
                    + " ratios to it show what the flag changes.")
    List<String> serverArgs = new ArrayList<>();

    @Option(names = "--reference", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure the bare Netty reference (/hello, /sleep and /db cells) in the same run, and report each"
                    + " mode's CPU time and context switches per request, and its req/s, as ratios of it."
                    + " Default: on (--no-reference to skip).")
    boolean reference;

    @Option(names = "--reference-jar", description = "The jar with the reference server. Default: the jar this runs from,"
            + " else load-tests/target/load-tests.jar")
    Path referenceJar;

    @Option(names = {"-d", "--duration"}, defaultValue = "15s", converter = DurationConverter.class, description = "Measured time per cell. Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class, description = "Unrecorded load before each cell. Default: ${DEFAULT-VALUE}")
    Duration warmup;

    @Option(names = "--db", defaultValue = "embedded",
            description = "The database the /db cells read, given to every server started here and to the reference:"
                    + " embedded (a throw-away PostgreSQL from the machine's binaries), none (no /db cells) or a"
                    + " postgresql:// URL. Default: ${DEFAULT-VALUE}")
    String db;

    @Option(names = "--cells", split = ",", paramLabel = "LABEL",
            description = "Only the cells with these labels, e.g. db,queries20,dbsleep (default: all).")
    List<String> only;

    @Option(names = "--quick", description = "A tiny matrix that runs in seconds (smoke test).")
    boolean quick;

    @Option(names = "--out", description = "Output folder. Default: reports/compare-<date-time>")
    Path out;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", description = "Generator event loops. Default: ${DEFAULT-VALUE}")
    int threads;

    @Override
    public Integer call() throws Exception {
        List<Cell> cells = (quick ? Cell.quick() : Cell.defaults()).stream()
                .filter(c -> only == null || only.contains(c.label())).toList();
        try (PostgresCluster embedded = startEmbedded()) {
            String database = embedded != null ? embedded.url("compare") : db.equals("none") || db.equals("embedded") ? null : db;
            if (database == null && !urls.keySet().containsAll(modes)) {
                System.out.println("no database (--db " + db + "): the /db cells are skipped for the servers started here");
            }
            return compare(cells, database);
        }
    }

    /** With {@code --db embedded}, a throw-away PostgreSQL for the whole run, or null where none can be had. */
    private PostgresCluster startEmbedded() throws IOException {
        if (!db.equals("embedded") || urls.keySet().containsAll(modes)) {
            return null; // servers already running bring their own database, or none
        }
        String why = PostgresCluster.unavailableReason().orElse(null);
        if (why != null) {
            System.out.println("no embedded PostgreSQL: " + why);
            return null;
        }
        PostgresCluster cluster = PostgresCluster.create();
        cluster.createDatabase("compare");
        return cluster;
    }

    private int compare(List<Cell> cells, String database) throws Exception {
        if (out == null) {
            out = Path.of("reports", "compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<CellResult> results = new ArrayList<>();
        Map<String, Object> servers = new LinkedHashMap<>();
        if (reference) {
            // First, so that every mode after it reads its ratio against a figure already taken.
            try (ServerUnderTest bare = ServerUnderTest.reference(java, referenceJar(), out.resolve("reference-server.log"), database)) {
                measure(bare, cells.stream().filter(c -> c.servedByReference() && (database != null || !c.database())).toList(),
                        results);
            }
        }
        for (String mode : modes) {
            try (ServerUnderTest server = urls.containsKey(mode)
                    ? ServerUnderTest.attach(urls.get(mode))
                    : ServerUnderTest.start(java, serverJar, out.resolve(mode + "-server.log"), serverFlags(mode, database))) {
                servers.put(mode, server.info());
                // A running server measured as it is: without a database of its own, it has no /db cells.
                boolean hasDb = !server.info().path("db").asText("none").startsWith("none");
                measure(server, cells.stream().filter(c -> hasDb || !c.database()).toList(), results);
            }
        }
        Map<String, Object> environment = Environment.describe(servers, threads, duration, warmup);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.resolve("environment.json").toFile(), environment);
        Files.writeString(out.resolve("report.md"), Reports.markdown(results, environment));
        Files.writeString(out.resolve("report.html"), Reports.html(results, environment));
        System.out.println("wrote " + out.resolve("report.md") + " and " + out.resolve("report.html"));
        return 0;
    }

    /** The defaults a user starts it with: the mode, the database when there is one to read, then any --server-arg. */
    private List<String> serverFlags(String mode, String database) {
        List<String> flags = new ArrayList<>(database == null ? List.of("--mode", mode) : List.of("--mode", mode, "--db", database));
        flags.addAll(serverArgs);
        return flags;
    }

    private void measure(ServerUnderTest server, List<Cell> cells, List<CellResult> results) throws Exception {
        System.out.println("== " + server.mode() + " (pid " + server.pid() + ", " + server.info().path("transport").asText("bare Netty") + ")");
        for (Cell cell : cells) {
            CellResult r = runCell(server, cell, results);
            results.add(r);
            System.out.printf("  %-12s %10.0f req/s  p99 %9.2f ms  errors %d  threads %d  rss %d MiB%s%s%n",
                    cell.name(), r.load().rps(), r.latency().getValueAtPercentile(99) / 1000.0,
                    r.load().errorsTotal(), r.peakThreads(), r.peakRssKb() / 1024, Reports.ratioNote(r, results),
                    CostReport.note(r, results));
        }
    }

    private Path referenceJar() {
        if (referenceJar != null) {
            return referenceJar;
        }
        try {
            Path self = Path.of(CompareCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (self.toString().endsWith(".jar") && runnable(self)) {
                return self;
            }
        } catch (Exception e) {
            // not from a runnable jar (a test's classpath): the build's own
        }
        return Path.of("load-tests", "target", "load-tests.jar");
    }

    private static boolean runnable(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
        }
    }

    /** One cell against one server; {@code earlier} holds the cells run before it, the reference's among them. */
    private CellResult runCell(ServerUnderTest server, Cell cell, List<CellResult> earlier) throws Exception {
        LoadSpec spec = new LoadSpec(server.uri(cell.path()), "GET", Map.of(), new byte[0], cell.connections(), threads, duration,
                Duration.ofSeconds(30), cell.rate(), warmup);
        AtomicLongArray peaks = new AtomicLongArray(2);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            ProcStatus now = server.sample();
            peaks.accumulateAndGet(0, now.threads(), Math::max);
            peaks.accumulateAndGet(1, now.rssKb(), Math::max);
        }, 0, 250, TimeUnit.MILLISECONDS);
        String stem = CellResult.fileStem(server.mode(), cell);
        // The server's CPU time and context switches over exactly the measured window, read at its edges.
        CostWindow window = server.localPid().isPresent() ? new CostWindow(server.localPid().getAsLong()) : null;
        LoadResult result;
        try (HlogWriter hlog = new HlogWriter(out.resolve(stem + ".hlog"), System.currentTimeMillis(), cell.openModel())) {
            result = LoadGenerator.run(spec, (elapsed, service, response, errors, inFlight) -> hlog.interval(service, response),
                    window != null ? window : WindowListener.NONE);
        } finally {
            sampler.shutdownNow();
        }
        CellResult r = new CellResult(cell, server.mode(), result, peaks.get(0), peaks.get(1),
                cell.bound(server.mode(), server.blockingThreads(), server.dbPool()),
                window != null ? window.cost(result.requests()) : null);
        Map<String, Object> json = ResultJson.toMap(result);
        if (r.cost() != null) {
            json.put("server_cost", r.cost().toJson(CostReport.reference(r, earlier).orElse(null)));
        }
        ResultJson.write(json, out.resolve(stem + ".json"));
        return r;
    }
}
