package dev.asyncprod.server.email;

import dev.asyncprod.server.config.EmailConfig;
import dev.asyncprod.server.email.Accepted.Outcome;
import dev.asyncprod.server.exec.BackgroundWork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The email room's front door: accept a job durably, deliver it now ({@code ?wait=true}) or in the
 * background, look it up. It speaks in domain types only ({@link EmailRequest}, {@link Job},
 * {@link Accepted}); what they look like over HTTP is the endpoints' business. Background
 * deliveries run through the {@link BackgroundWork} the execution model hands it, so each mode
 * delivers the way it serves requests.
 */
public final class EmailService implements MeterBinder, AutoCloseable {

    /** How often the pump looks for retries that came due without anything waking it. */
    static final Duration TICK = Duration.ofMillis(100);

    private final JobStore store;
    private final Mailer mailer;
    private final Delivery delivery;
    private final BackgroundWork work;
    private final DeliveryPump pump;

    private EmailService(JobStore store, Mailer mailer, Delivery delivery, BackgroundWork work, int concurrency) {
        this.store = store;
        this.mailer = mailer;
        this.delivery = delivery;
        this.work = work;
        this.pump = new DeliveryPump(store, job -> work.run(() -> delivery.deliver(job), () -> delivery.deliverBlocking(job)),
                concurrency, TICK);
    }

    /**
     * Starts background delivery from {@code store} through {@code mailer}. The store, the mailer
     * and the work stay the caller's to close, after this service.
     */
    public static EmailService start(EmailConfig config, JobStore store, Mailer mailer, BackgroundWork work) {
        Delivery delivery = new Delivery(store, mailer, new RetryPolicy(config.maxAttempts(), config.retryBase(),
                RetryPolicy.DEFAULT_CAP), config.from());
        return new EmailService(store, mailer, delivery, work, config.concurrency());
    }

    /**
     * Accepts a job without blocking: stored durably before the future completes. With
     * {@code deliverNow}, the future completes only after this attempt at delivery, with its outcome.
     */
    public CompletableFuture<Accepted> submit(EmailRequest email, String idempotencyKey, boolean deliverNow) {
        return store.accept(email, idempotencyKey, deliverNow).thenCompose(accepted -> {
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
        Accepted accepted = store.accept(email, idempotencyKey, deliverNow).join();
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
        return facts;
    }

    /** All in memory, so a scrape never waits on the store. */
    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "deliveries_in_flight", "Email deliveries running now", pump::inFlight);
        gauge(registry, "delivery_attempts", "Delivery attempts finished since start, whatever their outcome",
                pump::attemptsFinished);
        gauge(registry, "store_writes_pending", "Job store operations handed over and not yet durable", store::pending);
        mailer.bindTo(registry);
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
        pump.close();
    }
}
