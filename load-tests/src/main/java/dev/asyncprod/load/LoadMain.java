package dev.asyncprod.load;

import dev.asyncprod.client.ClientTls;
import dev.asyncprod.base.TlsProvider;
import dev.asyncprod.common.cli.CliErrors;
import dev.asyncprod.common.cli.HeaderArgs;
import dev.asyncprod.common.cli.DurationConverter;
import dev.asyncprod.load.clientbench.ClientBench;
import dev.asyncprod.load.compare.CompareCommand;
import dev.asyncprod.load.gen.LoadGenerator;
import dev.asyncprod.load.gen.LoadResult;
import dev.asyncprod.load.gen.LoadSpec;
import dev.asyncprod.load.merge.MergeCommand;
import dev.asyncprod.load.reference.BareNettyServer;
import dev.asyncprod.load.report.HlogWriter;
import dev.asyncprod.load.report.ResultJson;
import dev.asyncprod.load.report.Summary;
import dev.asyncprod.load.report.Threshold;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar load-tests/target/load-tests.jar [options] URL}: the load generator, with wrk's
 * flags. Closed model by default; {@code -R} switches to the open model (wrk2 semantics).
 */
@Command(name = "load-tests.jar", mixinStandardHelpOptions = true, version = "asyncprod load-tests 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"HTTP load generator with HdrHistogram latencies.",
                "Closed model (default): each connection sends its next request when the previous answer arrives.",
                "Open model (-R): requests go out on a constant schedule and latency is measured from the intended "
                        + "send time, so a stalled server cannot hide its stall (coordinated omission corrected)."},
        subcommands = {MergeCommand.class, CompareCommand.class, BareNettyServer.class, ClientBench.class})
public final class LoadMain implements Callable<Integer> {

    /** k6's exit code for broken thresholds, so pipelines that know k6 read it the same way. */
    public static final int EXIT_THRESHOLDS_BROKEN = 99;
    /** Every request failed (nothing listens, TLS refused, every answer an error): the run measured nothing. */
    public static final int EXIT_ALL_FAILED = 1;

    @Parameters(arity = "0..1", paramLabel = "URL", description = "http://host[:port]/path?query or https://...")
    URI url;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", description = "Connections to keep open. Default: ${DEFAULT-VALUE}")
    int connections;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = DurationConverter.class,
            description = "Length of the run, e.g. 30s, 2m. Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", description = "Event-loop threads. Default: ${DEFAULT-VALUE}")
    int threads;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "A request not answered within this counts as a timeout. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: value'", description = "Request header (repeatable).")
    List<String> headers = List.of();

    @Option(names = {"-X", "--method"}, defaultValue = "GET", description = "Request method, as curl's -X. Default: ${DEFAULT-VALUE}")
    String method;

    @Option(names = "--h2", description = "HTTP/2: ALPN h2 over https, prior knowledge (h2c) over http.")
    boolean http2;

    @Option(names = {"-m", "--max-streams"}, defaultValue = "1",
            description = "With --h2, requests each connection keeps in flight at once, as h2load's -m. Default: ${DEFAULT-VALUE}")
    int maxStreams;

    @Option(names = {"-k", "--insecure"}, description = "https: trust any certificate for any name, as curl's -k.")
    boolean insecure;

    @Option(names = "--cacert", paramLabel = "FILE", description = "https: trust the PEM certificates in FILE instead of the JDK's store.")
    Path caCert;

    @Option(names = "--tls-provider", defaultValue = "auto",
            description = "https: auto | jdk | openssl, the TLS engine; auto is OpenSSL where it loads. Default: ${DEFAULT-VALUE}")
    String tlsProvider;

    @Option(names = "--threshold", paramLabel = "EXPR",
            description = "Fail the run (exit " + EXIT_THRESHOLDS_BROKEN + ") unless EXPR holds, e.g. p99<200ms, errors<1%%,"
                    + " rps>5000 (repeatable).")
    List<String> thresholds = List.of();

    @Option(names = {"-b", "--body"}, paramLabel = "TEXT|@FILE",
            description = "Request body, as curl's -d: the text itself, or @file for a file's bytes.")
    String body;

    @Option(names = {"-R", "--rate"}, defaultValue = "0",
            description = "Open model: requests per second across all connections. 0 = closed model.")
    double rate;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the full result as JSON.")
    Path json;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log (mergeable).")
    Path hlog;

    @Option(names = "--warmup", defaultValue = "0s", converter = DurationConverter.class,
            description = "Run the same load this long first, on the same connections, unrecorded, so both JITs settle."
                    + " Default: ${DEFAULT-VALUE}")
    Duration warmup;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return CliErrors.oneLine(new CommandLine(new LoadMain()));
    }

    @Override
    public Integer call() throws Exception {
        LoadSpec load = toSpec();
        List<Threshold> checks;
        try {
            checks = thresholds.stream().map(Threshold::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!warmup.isZero()) {
            System.out.println("Warming up for " + warmup.toMillis() / 1000.0 + "s, then measuring on the same connections");
        }
        System.out.println("Running " + duration.toMillis() / 1000.0 + "s test @ " + url);
        System.out.println("  " + load.describe());
        long startMs = System.currentTimeMillis();
        try (HlogWriter log = hlog != null ? new HlogWriter(hlog, startMs, load.openModel()) : null) {
            LoadResult result = LoadGenerator.run(load, (elapsed, service, response, errors, inFlight) -> {
                if (log != null) {
                    log.interval(service, response);
                }
                if (!quiet) {
                    System.out.println(Summary.progressLine(elapsed, response, errors, inFlight));
                }
            });
            Summary.print(result, System.out);
            boolean thresholdsHold = true;
            for (Threshold check : checks) {
                System.out.println("  threshold " + check.report(result));
                thresholdsHold &= check.holds(result);
            }
            if (json != null) {
                ResultJson.write(result, checks, json);
            }
            if (result.allFailed()) {
                System.out.println("  every request failed" + (result.tlsFailure() != null ? ": " + result.tlsFailure() : ""));
                return EXIT_ALL_FAILED;
            }
            return thresholdsHold ? 0 : EXIT_THRESHOLDS_BROKEN;
        }
    }

    private LoadSpec toSpec() {
        if (url == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a URL to load, or a command");
        }
        require(url.getScheme() != null && url.getScheme().matches("https?") && url.getHost() != null,
                "URL must be http:// or https://host[:port]/path, got " + url);
        require(maxStreams >= 1 && maxStreams <= 10_000, "-m must be from 1 to 10000");
        require(maxStreams == 1 || http2, "-m needs --h2: HTTP/1.1 has one request in flight per connection");
        require(caCert == null || Files.isReadable(caCert), "--cacert: cannot read " + caCert);
        require(!(insecure && caCert != null), "-k and --cacert contradict each other: choose one");
        TlsProvider engine;
        try {
            engine = TlsProvider.parse(tlsProvider);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-provider: " + e.getMessage());
        }
        ClientTls trust = (insecure ? ClientTls.trustAnything() : caCert != null ? ClientTls.trusting(caCert)
                : ClientTls.defaults()).withProvider(engine);
        require(connections >= 1 && connections <= 100_000, "-c must be from 1 to 100000");
        require(threads >= 1 && threads <= 256, "-t must be from 1 to 256");
        require(duration.toMillis() > 0, "-d must be positive");
        require(timeout.toMillis() > 0, "--timeout must be positive");
        require(!warmup.isNegative(), "--warmup must not be negative");
        require(rate >= 0, "-R must not be negative");
        Map<String, String> parsed;
        try {
            parsed = HeaderArgs.parse(headers);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return new LoadSpec(url, method.toUpperCase(Locale.ROOT), parsed, bodyBytes(), connections, threads, duration,
                timeout, rate, warmup, trust, http2, maxStreams);
    }

    private byte[] bodyBytes() {
        if (body == null) {
            return new byte[0];
        }
        if (!body.startsWith("@")) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Files.readAllBytes(Path.of(body.substring(1)));
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the body file " + body.substring(1) + ": " + e);
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }
}
