package dev.asyncprod.server.email;

import dev.asyncprod.server.config.EmailConfig;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.exec.BackgroundWork;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.TaskRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email room's front door: accept a job durably, deliver it now ({@code ?wait=true}) or in the
 * background, look it up. It speaks in domain types only ({@link EmailRequest}, {@link Job},
 * {@link Accepted}); what they look like over HTTP is the endpoints' business. Background
 * deliveries run through the {@link BackgroundWork} the execution model hands it, so each mode
 * delivers the way it serves requests.
 */
public final class EmailService implements MeterBinder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmailService.class);

    /** How often finished jobs past their retention are deleted: often enough that a soak's store stays flat. */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    /** How often the jobs are counted by status for the gauges: a scrape reads the last count, never the store. */
    static final Duration COUNT_EVERY = Duration.ofSeconds(5);
    /** Delivery attempts' latency buckets: from a relay on the same network to a slow one near --smtp-timeout. */
    private static final Duration[] DELIVERY_BUCKETS = Stream.of(10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final JobStore store;
    private final Mailer mailer;
    private final Delivery delivery;
    private final BackgroundWork work;
    private final DeliveryPump pump;
    private final ScheduledFuture<?> counting;
    private final ScheduledFuture<?> sweeping;
    private final Duration retention;
    private final AtomicReference<Map<JobStatus, Long>> counts = new AtomicReference<>(Map.of());
    private final Map<JobStatus, Timer> attempts = new EnumMap<>(JobStatus.class); // filled by bindTo

    private final DeliveryTasks tasks;

    private EmailService(EmailConfig config, JobStore store, Mailer mailer, BackgroundWork work,
                         ScheduledExecutorService timers, TaskRegistry registry, String mode) {
        this.tasks = new DeliveryTasks(registry, mode);
        this.store = store;
        this.mailer = mailer;
        this.delivery = new Delivery(store, mailer, new RetryPolicy(config.maxAttempts(), config.retryBase(),
                RetryPolicy.DEFAULT_CAP), config.from(), this::attempted);
        this.work = work;
        this.pump = new DeliveryPump(store, job -> {
            Task task = tasks.start(job);
            return work.run(() -> tasks.deliver(task, () -> delivery.deliver(job)),
                    () -> tasks.deliverBlocking(task, () -> delivery.deliverBlocking(job)));
        },
                config.concurrency(), store.pollEvery());
        store.onNewJobs(pump::wake);
        this.retention = config.jobRetention();
        this.counting = timers.scheduleAtFixedRate(this::count, 0, COUNT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        long sweepMillis = Math.min(SWEEP_EVERY.toMillis(), Math.max(100, retention.toMillis() / 2));
        this.sweeping = timers.scheduleAtFixedRate(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts background delivery from {@code store} through {@code mailer}. The store, the mailer
     * and the work stay the caller's to close, after this service.
     */
    public static EmailService start(EmailConfig config, JobStore store, Mailer mailer, BackgroundWork work,
                                     ScheduledExecutorService timers, TaskRegistry registry, String mode) {
        return new EmailService(config, store, mailer, work, timers, registry, mode);
    }

    /** Hands the count to the store; a timer thread only starts it. */
    private void count() {
        store.countByStatus().thenAccept(counts::set);
    }

    /** Hands the retention sweep to the store; a timer thread only starts it. */
    private void sweep() {
        store.deleteFinishedBefore(Instant.now().minus(retention)).whenComplete((deleted, failure) -> {
            if (failure != null) {
                log.debug("retention sweep failed (next one in {} s): {}", SWEEP_EVERY.toSeconds(), failure.toString());
            } else if (deleted > 0) {
                log.debug("retention: deleted {} finished email jobs older than {}", deleted, retention);
            }
        });
    }

    private void attempted(JobStatus outcome, long nanos) {
        Timer timer = attempts.get(outcome);
        if (timer != null) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Accepts a job without blocking: stored durably before the future completes. With
     * {@code deliverNow}, the future completes only after this attempt at delivery, with its outcome.
     */
    public CompletableFuture<Accepted> submit(EmailRequest email, String idempotencyKey, boolean deliverNow) {
        return tasks.commit(() -> store.accept(email, idempotencyKey, deliverNow)).thenCompose(accepted -> {
            if (accepted.outcome() != Outcome.CREATED) {
                return CompletableFuture.completedFuture(accepted);
            }
            if (!deliverNow) {
                pump.wake();
                return CompletableFuture.completedFuture(accepted);
            }
            return delivery.deliver(accepted.job()).thenApply(job -> new Accepted(job, Outcome.CREATED));
        });
    }

    /** The same, holding the calling thread for the store and, with {@code deliverNow}, the whole delivery. */
    public Accepted submitBlocking(EmailRequest email, String idempotencyKey, boolean deliverNow)
            throws InterruptedException {
        Accepted accepted = tasks.commitBlocking(() -> store.accept(email, idempotencyKey, deliverNow));
        if (accepted.outcome() != Outcome.CREATED) {
            return accepted;
        }
        if (!deliverNow) {
            pump.wake();
            return accepted;
        }
        return new Accepted(delivery.deliverBlocking(accepted.job()), Outcome.CREATED);
    }

    public CompletableFuture<Optional<Job>> find(String id) {
        return store.find(id);
    }

    /** The built-in mailbox, when it is the mailer. */
    public Optional<MailboxMailer> mailbox() {
        return mailer instanceof MailboxMailer m ? Optional.of(m) : Optional.empty();
    }

    /** What delivers the email, in one line: for the start-up banner. */
    public String describe() {
        return mailer.describe();
    }

    /** For {@code /info}: what delivers, and where the jobs are. */
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("mailer", mailer.describe());
        facts.put("store", store.describe());
        facts.put("store_kind", store.kind());
        facts.put("retention_s", retention.toSeconds());
        return facts;
    }

    /** All in memory, so a scrape never waits on the store. */
    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "deliveries_in_flight", "Email deliveries running now", pump::inFlight);
        FunctionCounter.builder("email_delivery_attempts", pump, DeliveryPump::attemptsFinished)
                .description("Delivery attempts finished since start, whatever their outcome").register(registry);
        gauge(registry, "store_writes_pending", "Job store operations handed over and not yet durable", store::pending);
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("email_jobs", counts, c -> c.get().getOrDefault(status, 0L)).tag("status", status.label())
                    .description("Jobs in the store by status (the queue's depth is queued), counted every "
                            + COUNT_EVERY.toSeconds() + " s").register(registry);
        }
        for (JobStatus outcome : List.of(JobStatus.SENT, JobStatus.QUEUED, JobStatus.FAILED)) {
            attempts.put(outcome, Timer.builder("email_delivery")
                    .description("Delivery attempts by outcome: sent, queued for a retry, failed for good")
                    .tag("outcome", outcome == JobStatus.QUEUED ? "retry" : outcome.label())
                    .serviceLevelObjectives(DELIVERY_BUCKETS).register(registry));
        }
        mailer.bindTo(registry);
        store.bindTo(registry);
    }

    /** Strong references: Micrometer holds a gauge's object weakly, and these suppliers have no other owner. */
    static void gauge(MeterRegistry registry, String name, String help, Supplier<Number> value) {
        Gauge.builder("email_" + name, value, v -> v.get().doubleValue()).strongReference(true)
                .description(help).register(registry);
    }

    /** Delivers what is due until the timeout; see {@link DeliveryPump#drain}. */
    public boolean drain(Duration timeout) throws InterruptedException {
        return pump.drain(timeout);
    }

    /** Stops claiming and delivering; an attempt cut off leaves its job {@code sending}, sent again later. */
    @Override
    public void close() {
        counting.cancel(false);
        sweeping.cancel(false);
        pump.close();
    }
}
