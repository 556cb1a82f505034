package dev.asyncprod.server.ops;

import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.Request;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's metrics, served by {@code GET /metrics} in Prometheus text format: requests by
 * route, status and mode (a latency histogram), in-flight, rejected, timed-out and cancelled
 * requests, event-loop lag and pending tasks, the execution model's pool, and the JVM's threads,
 * memory and GC.
 */
public final class ServerMetrics implements ExchangeListener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String mode;
    private final Function<String, String> routeOf;
    /** Per route, timers indexed by status code: no allocation per request on the event loop. */
    private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();

    /**
     * @param routeOf the route table's path for a request path, or null; unrouted paths are tagged
     *                {@code unmatched}, so random 404s cannot create a time series each
     * @param pool   the execution model's gauges (name suffix to value), e.g. {@code active}, {@code queued}
     * @param email  the email room's live numbers, registered as {@code email_<name>}
     */
    public ServerMetrics(String mode, Function<String, String> routeOf, Lifecycle lifecycle, EventLoopGroup workers,
                         EventLoopWatchdog watchdog, Map<String, Supplier<Number>> pool,
                         Map<String, Supplier<Number>> email) {
        this.mode = mode;
        this.routeOf = routeOf;
        Tags modeTag = Tags.of("mode", mode);
        Gauge.builder("http_server_in_flight", lifecycle, Lifecycle::inFlight).tags(modeTag)
                .description("Requests received and not yet answered").register(registry);
        Gauge.builder("http_server_connections", lifecycle, Lifecycle::openConnections).tags(modeTag).register(registry);
        RequestStats stats = lifecycle.stats();
        FunctionCounter.builder("http_server_rejected", stats, RequestStats::rejectedCount).tags(modeTag)
                .description("Requests answered 503 at once: over --max-inflight or the pool and its queue full").register(registry);
        FunctionCounter.builder("http_server_timed_out", stats, RequestStats::timedOutCount).tags(modeTag)
                .description("Requests answered 504 after --request-timeout").register(registry);
        FunctionCounter.builder("http_server_cancelled", stats, RequestStats::cancelledCount).tags(modeTag)
                .description("Requests whose client went away; their work was cancelled").register(registry);
        FunctionCounter.builder("http_server_refused_connections", stats, RequestStats::refusedConnectionCount)
                .tags(modeTag).register(registry);
        int i = 0;
        for (EventExecutor loop : workers) {
            int index = i++;
            Tags loopTag = Tags.of("loop", "event-loop-" + (index + 1));
            Gauge.builder("event_loop_lag_seconds", watchdog, w -> w.lastLagMillis().get(index) / 1000.0).tags(loopTag)
                    .description("How late the loop's last heartbeat ran").register(registry);
            if (loop instanceof SingleThreadEventExecutor single) {
                Gauge.builder("event_loop_pending_tasks", single, SingleThreadEventExecutor::pendingTasks).tags(loopTag)
                        .register(registry);
            }
        }
        registerGauges("execution_pool_", pool, modeTag);
        registerGauges("email_", email, modeTag);
        new JvmThreadMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Strong references: Micrometer holds a gauge's object weakly, and these suppliers have no other owner. */
    private void registerGauges(String prefix, Map<String, Supplier<Number>> gauges, Tags tags) {
        gauges.forEach((name, value) -> Gauge.builder(prefix + name, value, v -> v.get().doubleValue())
                .strongReference(true).tags(tags).register(registry));
    }

    @Override
    public void answered(Request request, int status, long durationNanos) {
        String route = routeOf.apply(request.path());
        if (route == null) {
            route = "unmatched";
        }
        Timer[] byStatus = timers.computeIfAbsent(route, r -> new Timer[600]);
        Timer timer = byStatus[status];
        if (timer == null) { // a racing registration is harmless: Micrometer returns the same meter
            timer = Timer.builder("http_server_requests")
                    .description("Requests answered, by route, status and mode")
                    .tags("route", route, "status", Integer.toString(status), "mode", mode)
                    .publishPercentileHistogram()
                    .register(registry);
            byStatus[status] = timer;
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
