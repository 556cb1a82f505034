package dev.asyncprod.load.clientbench;

import dev.asyncprod.client.AsyncHttpClient;
import dev.asyncprod.client.ClientRequest;
import dev.asyncprod.common.cli.DurationConverter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The project's client beside the JDK's {@code java.net.http.HttpClient}, in one run and one JVM:
 * each keeps {@code -c} requests in flight (a closed loop) against the same URL, in alternating
 * rounds after a warm-up, and the ratio of their request rates is reported.
 */
@Command(name = "client-bench", mixinStandardHelpOptions = true,
        description = "Compare this project's HTTP client with the JDK's HttpClient against one URL.")
public final class ClientBench implements Callable<Integer> {

    @Parameters(paramLabel = "URL", description = "e.g. http://127.0.0.1:8080/hello")
    URI url;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "64", description = "Requests in flight. Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", converter = DurationConverter.class,
            description = "Length of each measured round. Default: ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = "--rounds", defaultValue = "2", description = "Alternating rounds per client. Default: ${DEFAULT-VALUE}")
    int rounds;

    @Override
    public Integer call() throws Exception {
        try (AsyncHttpClient ours = AsyncHttpClient.create();
             HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            ClientRequest oursRequest = ClientRequest.get(url).build();
            HttpRequest jdkRequest = HttpRequest.newBuilder(url).build();
            Supplier<CompletableFuture<?>> oursSend = () -> ours.send(oursRequest);
            Supplier<CompletableFuture<?>> jdkSend = () -> jdk.sendAsync(jdkRequest, HttpResponse.BodyHandlers.ofByteArray());

            System.out.println("warming up both clients...");
            closedLoop(oursSend, Duration.ofSeconds(5));
            closedLoop(jdkSend, Duration.ofSeconds(5));

            double oursTotal = 0;
            double jdkTotal = 0;
            for (int round = 1; round <= rounds; round++) {
                double a = closedLoop(oursSend, duration);
                double b = closedLoop(jdkSend, duration);
                oursTotal += a;
                jdkTotal += b;
                System.out.printf("round %d: asyncprod client %.0f req/s, JDK HttpClient %.0f req/s (%.2fx)%n", round, a, b, a / b);
            }
            System.out.printf("asyncprod client %.0f req/s, JDK HttpClient %.0f req/s: %.2fx (%d in flight, %s x %d rounds each, %s)%n",
                    oursTotal / rounds, jdkTotal / rounds, oursTotal / jdkTotal, concurrency, duration.toMillis() / 1000.0 + "s", rounds, url);
        }
        return 0;
    }

    /** Keeps {@code concurrency} requests in flight for {@code length}; returns completed requests per second. */
    private double closedLoop(Supplier<CompletableFuture<?>> send, Duration length) throws InterruptedException {
        LongAdder completed = new LongAdder();
        LongAdder failed = new LongAdder();
        CountDownLatch drained = new CountDownLatch(concurrency);
        long end = System.nanoTime() + length.toNanos();
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            next(send, end, completed, failed, drained);
        }
        drained.await(length.toSeconds() + 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failed.sum() > 0) {
            System.out.println("  (" + failed.sum() + " failed requests)");
        }
        return completed.sum() / seconds;
    }

    private static void next(Supplier<CompletableFuture<?>> send, long end, LongAdder completed, LongAdder failed,
                             CountDownLatch drained) {
        send.get().whenComplete((r, e) -> {
            (e == null ? completed : failed).increment();
            if (System.nanoTime() < end) {
                next(send, end, completed, failed, drained);
            } else {
                drained.countDown();
            }
        });
    }
}
