package dev.asyncprod.server.ops;

import dev.asyncprod.server.http.ExchangeListener;
import dev.asyncprod.server.http.Request;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The server's one source of live numbers. Every component publishes its own as meters (a
 * {@link MeterBinder}); {@code GET /metrics} serves them in Prometheus text format, and
 * {@code GET /info} shows the same meters grouped by component ({@link #readings()}), so a number
 * is named and computed in one place. Requests are timed here by route, status and mode.
 */
public final class ServerMetrics implements ExchangeListener {

    /** This server's own series carry its mode, so one dashboard can hold all three models. */
    private static final List<String> OWN = List.of("http_server_", "execution_pool_", "email_", "access_log_");
    /** What {@code /info} shows, by the prefix that names the component. */
    private static final List<String> SECTIONS = List.of("http_server_", "execution_pool_", "email_", "access_log_",
            "event_loop_", "jvm.threads.");
    /** The methods timed under their own name; any other is {@code OTHER}, so odd methods cannot make series. */
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    /**
     * The request histogram's buckets: Prometheus' own default layout (5 ms to 10 s) with 1 ms and
     * 2.5 ms below it for the cheap requests and 30 s, the request timeout, above. A dozen buckets
     * instead of Micrometer's seventy keeps recording cheap and a scrape small.
     */
    private static final Duration[] BUCKETS = Stream.of(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)
            .map(ms -> Duration.ofNanos((long) (ms.doubleValue() * 1_000_000))).toArray(Duration[]::new);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Function<String, String> routeOf;
    /** Per route, timers indexed by method and status code: no allocation per request on the event loop. */
    private final Map<String, Timer[][]> timers = new ConcurrentHashMap<>();

    /**
     * @param routeOf    the route table's path for a request path, or null; unrouted paths are tagged
     *                   {@code unmatched}, so random 404s cannot create a time series each
     * @param components what publishes meters: the lifecycle, the execution model, the watchdog, the email
     *                   room, the JVM's binders
     */
    public ServerMetrics(String mode, Function<String, String> routeOf, List<MeterBinder> components) {
        this.routeOf = routeOf;
        Tag modeTag = Tag.of("mode", mode);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return OWN.stream().anyMatch(id.getName()::startsWith) && id.getTag("mode") == null ? id.withTag(modeTag) : id;
            }
        });
        // Names Prometheus' linter (promtool check metrics) accepts: Micrometer's processor binder writes a
        // gauge with a _count suffix and a counter in abbreviated units (process_cpu_usage says the same).
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
            }
        }).meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        components.forEach(c -> c.bindTo(registry));
    }

    /** The JVM's threads, memory, GC, class loading and CPU; the GC binder listens to the JVM until closed. */
    public static List<MeterBinder> jvm(Closer closer) {
        return List.of(new JvmThreadMetrics(), new JvmMemoryMetrics(), closer.add("GC metrics", new JvmGcMetrics()),
                new ClassLoaderMetrics(), new ProcessorMetrics());
    }

    @Override
    public void answered(Request request, int status, long bytes, long durationNanos) {
        String route = routeOf.apply(request.path());
        if (route == null) {
            route = "unmatched";
        }
        int method = METHODS.indexOf(request.method());
        if (method < 0) {
            method = METHODS.size();
        }
        Timer[] byStatus = timers.computeIfAbsent(route, r -> new Timer[METHODS.size() + 1][600])[method];
        Timer timer = byStatus[status];
        if (timer == null) { // a racing registration is harmless: Micrometer returns the same meter
            timer = Timer.builder("http_server_requests")
                    .description("Requests answered, by route, method, status and mode")
                    .tags("route", route, "method", method < METHODS.size() ? METHODS.get(method).name() : "OTHER",
                            "status", Integer.toString(status))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            byStatus[status] = timer;
        }
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * The current value of every gauge and counter of the {@link #SECTIONS}, grouped by component:
     * {@code http_server_in_flight} is {@code http_server.in_flight}; a meter with tags (other than
     * the mode) is an object keyed by their values, {@code event_loop.lag_seconds."event-loop-1"}.
     */
    public Map<String, Map<String, Object>> readings() {
        Map<String, Map<String, Object>> sections = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            String prefix = SECTIONS.stream().filter(name::startsWith).findFirst().orElse(null);
            if (prefix == null || meter instanceof Timer || meter instanceof DistributionSummary || meter instanceof LongTaskTimer) {
                continue;
            }
            Map<String, Object> section = sections.computeIfAbsent(
                    prefix.substring(0, prefix.length() - 1).replace('.', '_'), p -> new TreeMap<>());
            String key = name.substring(prefix.length()).replace('.', '_');
            Object value = number(meter.measure().iterator().next().getValue());
            List<String> tags = meter.getId().getTags().stream().filter(t -> !t.getKey().equals("mode")).map(Tag::getValue).toList();
            if (tags.isEmpty()) {
                section.put(key, value);
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> byTag = (Map<String, Object>) section.computeIfAbsent(key, k -> new TreeMap<>());
                byTag.put(String.join(",", tags), value);
            }
        }
        return sections;
    }

    /** Whole numbers as whole numbers; a gauge that cannot be read as null. */
    private static Object number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
    }
}
