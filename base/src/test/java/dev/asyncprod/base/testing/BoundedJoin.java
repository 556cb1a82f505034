package dev.asyncprod.base.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link CompletableFuture#join()} with a bound, for tests. A bare {@code join()} ignores
 * interrupts, so JUnit's timeout cannot end a test stuck in one and a single lost answer would
 * stall the build; this one fails the test instead. Otherwise it behaves as {@code join()} does:
 * a failure is a {@link CompletionException} around the cause, a cancellation a
 * {@code CancellationException}, so assertions on either read the same.
 */
public final class BoundedJoin {

    /** Far longer than any single answer a test waits for, even on two busy cores. */
    public static final Duration LIMIT = Duration.ofSeconds(60);

    private BoundedJoin() {
    }

    public static <T> T join(CompletableFuture<T> future) {
        return join(future, LIMIT);
    }

    public static <T> T join(CompletableFuture<T> future, Duration limit) {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future was not done within " + limit.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a future (a test timeout?)", e);
        }
    }
}
