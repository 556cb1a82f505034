package dev.asyncprod.server.email;

import dev.asyncprod.base.Causes;
import dev.asyncprod.server.tasks.Task;
import dev.asyncprod.server.tasks.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a claimed job: send it, then store what happened (sent, queued for a retry, or
 * failed). Written twice like an endpoint: {@link #deliver} never blocks, {@link #deliverBlocking}
 * holds its thread for the whole exchange. Both make the same decisions in {@link #settle}.
 */
public final class Delivery {

    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    /** Told how each attempt ended and how long it took. */
    interface Observer {
        void attempted(JobStatus outcome, long nanos);
    }

    private final JobStore store;
    private final Mailer mailer;
    private final RetryPolicy retry;
    private final String from;
    private final Observer observer;

    Delivery(JobStore store, Mailer mailer, RetryPolicy retry, String from, Observer observer) {
        this.store = store;
        this.mailer = mailer;
        this.retry = retry;
        this.from = from;
        this.observer = observer;
    }

    /** Completes with the job's new, stored state; fails only if the store does. */
    public CompletableFuture<Job> deliver(Job job) {
        long start = System.nanoTime();
        CompletableFuture<Void> sent;
        Task.current().awaiting(Wait.on(mailer.describe()));
        try {
            sent = mailer.send(OutgoingMessage.of(job, from));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((ok, failure) -> settle(job, failure, start)).thenCompose(store::save);
    }

    /**
     * The same on the calling thread. Interrupted (a forced shutdown): the job stays {@code sending}
     * and the next start sends it again.
     */
    public Job deliverBlocking(Job job) throws InterruptedException {
        long start = System.nanoTime();
        Throwable failure = null;
        try (Task.Waiting sending = Task.current().block(Wait.on(mailer.describe()))) {
            mailer.sendBlocking(OutgoingMessage.of(job, from));
        } catch (RuntimeException e) {
            failure = e;
        }
        return store.save(settle(job, failure, start)).join();
    }

    private Job settle(Job job, Throwable failure, long startNanos) {
        Job settled = decide(job, failure);
        observer.attempted(settled.status(), System.nanoTime() - startNanos);
        return settled;
    }

    private Job decide(Job job, Throwable failure) {
        Instant now = Instant.now();
        if (failure == null) {
            return job.sent(now);
        }
        Throwable cause = Causes.unwrap(failure);
        String error = cause instanceof MailException ? cause.getMessage() : cause.toString();
        boolean permanent = cause instanceof MailException m && !m.isTransient();
        Optional<Duration> wait = permanent ? Optional.empty() : retry.delayAfter(job.attempts());
        if (wait.isPresent()) {
            log.info("email job {} attempt {} failed, retrying in {} ms: {}", job.id(), job.attempts(),
                    wait.get().toMillis(), error);
            return job.retryAt(now, now.plus(wait.get()), error);
        }
        String reason = permanent ? error : "gave up after " + job.attempts() + " attempts: " + error;
        log.warn("email job {} to {} failed: {}", job.id(), job.email().to(), reason);
        return job.failed(now, reason);
    }
}
