package dev.asyncprod.cli;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.ServiceClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The asyncio sleeper demo (see {@link AsyncioStyleLog}) over the network: one sleeper task per argument, each a {@code GET /sleep}
 * sent at once, logged as it starts and ends. The total shows whether the tasks overlapped.
 */
@Command(name = "gather", mixinStandardHelpOptions = true,
        description = "Replay the sleeper demo: run one /sleep task per delay (ms) concurrently and log START/END.")
final class GatherCommand implements Callable<Integer> {

    @Parameters(arity = "1..16", paramLabel = "MS", description = "Delays in milliseconds, 0 to 60000, e.g. 2000 5000.")
    List<String> delayArgs;

    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "${env:SERVICE_URL:-http://127.0.0.1:8080}",
            description = "The service's base URL (env SERVICE_URL). Default: ${DEFAULT-VALUE}")
    URI url;

    @Override
    public Integer call() {
        List<Long> delays = parseDelays();
        AsyncioStyleLog log = new AsyncioStyleLog(System.out);
        try (AsyncHttpClient http = AsyncHttpClient.create()) {
            ServiceClient service = new ServiceClient(http, url);
            try {
                service.health().join(); // a warm connection, and a clear error if nothing is there
            } catch (java.util.concurrent.CompletionException e) {
                System.err.println("error: " + e.getCause().getMessage());
                return 1;
            }
            long start = System.nanoTime();
            log.info("main: START run_until_complete");
            List<CompletableFuture<?>> tasks = new ArrayList<>();
            for (int i = 0; i < delays.size(); i++) {
                String name = "task-" + (i + 1);
                long ms = delays.get(i);
                log.info(name + ": START (wait for " + AsyncioStyleLog.seconds(ms) + ")");
                tasks.add(service.sleep(Duration.ofMillis(ms))
                        .thenAccept(r -> log.info(name + ": END   (wait for " + AsyncioStyleLog.seconds(ms) + ", on " + r.thread() + ")")));
            }
            try {
                CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
            } catch (java.util.concurrent.CompletionException e) {
                System.err.println("error: " + e.getCause().getMessage());
                return 1;
            }
            long totalMs = (System.nanoTime() - start) / 1_000_000;
            long sumMs = delays.stream().mapToLong(Long::longValue).sum();
            log.info("main: END   run_until_complete (took " + AsyncioStyleLog.seconds(totalMs / 10 * 10)
                    + "; the waits add up to " + AsyncioStyleLog.seconds(sumMs) + ")");
            return 0;
        }
    }

    private List<Long> parseDelays() {
        List<Long> delays = new ArrayList<>();
        for (String arg : delayArgs) {
            try {
                long ms = Long.parseLong(arg);
                if (ms < 0 || ms > 60_000) {
                    throw new NumberFormatException();
                }
                delays.add(ms);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(),
                        "'" + arg + "' is not a delay in milliseconds from 0 to 60000");
            }
        }
        return delays;
    }
}
