package dev.asyncprod.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * This service's API, typed: the calls a user makes with curl, as futures of records.
 * A non-2xx answer fails the future with {@link ServiceException} carrying the server's error body.
 */
public final class ServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final AsyncHttpClient http;
    private final URI base;

    /** @param base the service's root, e.g. {@code http://127.0.0.1:8080} */
    public ServiceClient(AsyncHttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    public record SleepResult(long sleptMs, String mode, String thread) {
    }

    public record Task(String name, long delayMs, long startMs, long endMs) {
    }

    public record GatherResult(String mode, List<Task> tasks, long totalMs) {
    }

    /** A non-2xx answer from the service. */
    public static final class ServiceException extends RuntimeException {
        private final int status;

        ServiceException(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public CompletableFuture<String> hello() {
        return get("/hello").thenApply(ClientResponse::bodyAsString);
    }

    public CompletableFuture<String> health() {
        return get("/health").thenApply(r -> read(r, HealthResult.class).status());
    }

    public CompletableFuture<SleepResult> sleep(Duration delay) {
        return get("/sleep?ms=" + delay.toMillis()).thenApply(r -> read(r, SleepResult.class));
    }

    public CompletableFuture<GatherResult> gather(List<Duration> delays) {
        String ms = delays.stream().map(d -> Long.toString(d.toMillis())).collect(Collectors.joining(","));
        return get("/gather?ms=" + ms).thenApply(r -> read(r, GatherResult.class));
    }

    private CompletableFuture<ClientResponse> get(String pathAndQuery) {
        // Allow for the longest server-side wait (60 s) on top of the client's default.
        ClientRequest request = ClientRequest.get(base.resolve(pathAndQuery))
                .responseTimeout(http.options().responseTimeout().plusSeconds(60)).build();
        return http.send(request).thenApply(r -> {
            if (!r.isSuccess()) {
                throw new ServiceException(r.status(), r.bodyAsString());
            }
            return r;
        });
    }

    private static <T> T read(ClientResponse response, Class<T> type) {
        try {
            return JSON.readValue(response.body(), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unexpected answer: " + response.bodyAsString(), e);
        }
    }

    private record HealthResult(String status) {
    }
}
