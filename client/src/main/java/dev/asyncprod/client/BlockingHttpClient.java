package dev.asyncprod.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The same client for code that waits: platform or virtual threads. It shares the async client's
 * pools and codec, so a blocking-versus-async comparison measures the waiting, not the client.
 * An interrupted caller cancels its exchange (the connection is closed, not reused).
 */
public final class BlockingHttpClient {

    private final AsyncHttpClient async;

    public BlockingHttpClient(AsyncHttpClient async) {
        this.async = async;
    }

    /**
     * Sends and waits for the whole answer; throws {@link HttpClientException} on failure, and
     * {@link java.util.concurrent.CancellationException} if the exchange was cancelled meanwhile.
     */
    public ClientResponse send(ClientRequest request) throws InterruptedException {
        CompletableFuture<ClientResponse> pending = async.send(request);
        try {
            return pending.get();
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
