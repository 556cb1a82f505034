package dev.asyncprod.server.email;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default mailer when no SMTP server is configured: each message takes a fixed latency (the
 * asyncio post's "an email that will delay for a second"), then lands in memory, where {@code GET /mailbox}
 * lists the latest. Async sends wait on a timer; blocking sends sleep their thread.
 */
public final class MailboxMailer implements Mailer {

    /** Messages {@code /mailbox} keeps: enough to look at, bounded so a long benchmark cannot fill the heap. */
    static final int KEPT = 1_000;

    /** A delivered message, as {@code /mailbox} lists it. */
    public record Delivered(String messageId, String to, String subject, Instant deliveredAt) {
    }

    private final Duration latency;
    private final ScheduledExecutorService timers;
    private final ConcurrentLinkedDeque<Delivered> latest = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();

    /** @param timers where async sends wait (the server's event loops: a timer there holds no thread) */
    public MailboxMailer(Duration latency, ScheduledExecutorService timers) {
        this.latency = latency;
        this.timers = timers;
    }

    @Override
    public CompletableFuture<Void> send(OutgoingMessage message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        timers.schedule(() -> {
            deliver(message);
            done.complete(null);
        }, latency.toNanos(), TimeUnit.NANOSECONDS);
        return done;
    }

    @Override
    public void sendBlocking(OutgoingMessage message) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(latency.toNanos());
        deliver(message);
    }

    private void deliver(OutgoingMessage message) {
        latest.addFirst(new Delivered(message.messageId(), message.to(), message.subject(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        delivered.incrementAndGet();
        if (kept.incrementAndGet() > KEPT && latest.pollLast() != null) {
            kept.decrementAndGet();
        }
    }

    /** The latest {@code limit} messages delivered, newest first. */
    public List<Delivered> latest(int limit) {
        List<Delivered> messages = new ArrayList<>(Math.min(limit, KEPT));
        for (Iterator<Delivered> it = latest.iterator(); it.hasNext() && messages.size() < limit; ) {
            messages.add(it.next());
        }
        return messages;
    }

    /** Messages delivered since start, including those no longer kept. */
    public long deliveredCount() {
        return delivered.get();
    }

    public Duration latency() {
        return latency;
    }

    @Override
    public String describe() {
        return "built-in mailbox (" + latency.toMillis() + " ms per message)";
    }

    @Override
    public void close() {
        // Timers belong to the event loops; pending sends end with them.
    }
}
