package dev.asyncprod.server.email;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Hands one message to whoever delivers it. The future completes when the receiving side has
 * taken responsibility for the message (an SMTP server's 250 after the data), or fails with a
 * {@link MailException} saying whether trying again may help.
 */
public interface Mailer extends MeterBinder, AutoCloseable {

    /** Never blocks the caller. */
    CompletableFuture<Void> send(OutgoingMessage message);

    /**
     * The same delivery in a blocking style, holding the calling thread until it is done: what the
     * blocking and virtual modes run. By default the non-blocking protocol code, waited for.
     */
    default void sendBlocking(OutgoingMessage message) throws InterruptedException {
        try {
            send(message).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        }
    }

    /** One line for the banner and {@code /info}. */
    String describe();

    /** Its own live numbers ({@code email_*}), if it keeps any. */
    @Override
    default void bindTo(MeterRegistry registry) {
    }

    @Override
    void close();
}
