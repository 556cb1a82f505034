package dev.asyncprod.server.email;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.email.JobStore.Accepted;
import dev.asyncprod.server.email.JobStore.Outcome;
import dev.asyncprod.server.email.smtp.SmtpMailer;
import dev.asyncprod.server.http.Json;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The email room's front door: accept a job durably, deliver it now ({@code ?wait=true}) or in the
 * background, look it up. Built per execution model so that the background deliveries run the
 * way the mode runs requests: callbacks on the event loops ({@code async}), a bounded pool of
 * platform threads ({@code blocking}) or a virtual thread each ({@code virtual}).
 */
public final class EmailService implements AutoCloseable {

    /** How often the pump looks for retries that came due without anything waking it. */
    static final Duration TICK = Duration.ofMillis(100);

    private final JobStore store;
    private final Mailer mailer;
    private final Delivery delivery;
    private final DeliveryPump pump;
    private final ExecutorService senders; // null in async mode

    private EmailService(JobStore store, Mailer mailer, Delivery delivery, ExecutorService senders, int concurrency) {
        this.store = store;
        this.mailer = mailer;
        this.delivery = delivery;
        this.senders = senders;
        Function<Job, CompletableFuture<Job>> runner = senders == null ? delivery::deliver : job ->
                CompletableFuture.supplyAsync(() -> deliverOnThisThread(job), senders);
        this.pump = new DeliveryPump(store, runner, concurrency, TICK);
    }

    /**
     * Opens the store in the data directory (queueing again what a crash interrupted) and starts
     * background delivery.
     *
     * @param loops   the server's event loops: the SMTP client's connections and the mailbox's timers run there
     */
    public static EmailService start(EmailConfig config, Mode mode, EventLoopGroup loops,
                                     Class<? extends SocketChannel> channelType) throws IOException {
        InetSocketAddress relay = null;
        if (config.smtp() != null) {
            // Resolved once, here on the starting thread: a lookup per connection would block an event loop.
            relay = new InetSocketAddress(config.smtp().getHostString(), config.smtp().getPort());
            if (relay.isUnresolved()) {
                throw new IOException("cannot resolve the SMTP host '" + config.smtp().getHostString() + "'");
            }
        }
        JobStore store = JobStore.open(config.dataDir());
        Mailer mailer = relay != null
                ? new SmtpMailer(relay, loops, channelType, config.smtpConnections(), config.smtpTimeout(), "asyncprod")
                : new MailboxMailer(config.mailboxLatency(), loops);
        Delivery delivery = new Delivery(store, mailer, new RetryPolicy(config.maxAttempts(), config.retryBase(),
                RetryPolicy.DEFAULT_CAP), config.from());
        ExecutorService senders = switch (mode) {
            case ASYNC -> null;
            case VIRTUAL -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("email-sender-", 1).factory());
            case BLOCKING -> Executors.newFixedThreadPool(config.concurrency(), Thread.ofPlatform().name("email-sender-", 1).factory());
        };
        return new EmailService(store, mailer, delivery, senders, config.concurrency());
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

    /** For {@code /info}. */
    public Json facts() {
        return Json.object()
                .put("mailer", mailer.describe())
                .put("deliveries_in_flight", pump.inFlight())
                .put("attempts_finished", pump.attemptsFinished())
                .put("store_writes_pending", store.pending());
    }

    /** Live numbers for {@code /metrics}; all in memory, so a scrape never waits on the store. */
    public Map<String, Supplier<Number>> gauges() {
        Map<String, Supplier<Number>> gauges = new LinkedHashMap<>(Map.of(
                "deliveries_in_flight", pump::inFlight,
                "delivery_attempts", pump::attemptsFinished,
                "store_writes_pending", store::pending));
        if (mailer instanceof SmtpMailer smtp) {
            gauges.put("smtp_connections_open", smtp::connectionsOpen);
            gauges.put("smtp_waiting", smtp::waiting);
        }
        return gauges;
    }

    public String describe() {
        return mailer.describe();
    }

    /** Delivers what is due until the timeout; see {@link DeliveryPump#drain}. */
    public boolean drain(Duration timeout) throws InterruptedException {
        return pump.drain(timeout);
    }

    @Override
    public void close() {
        pump.close();
        if (senders != null) {
            senders.shutdownNow(); // an interrupted attempt leaves its job "sending": sent again at the next start
        }
        mailer.close();
        store.close();
    }

    private Job deliverOnThisThread(Job job) {
        try {
            return delivery.deliverBlocking(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
