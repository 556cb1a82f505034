package dev.asyncprod.client;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncprod.client.HttpClientException.Kind;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real server that counts its connections and misbehaves on request. */
class AsyncHttpClientTest {

    private TestUpstream upstream;

    @BeforeEach
    void start() throws InterruptedException {
        upstream = new TestUpstream();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void keepAliveConnectionsAreReusedForManyRequests() {
        try (AsyncHttpClient client = AsyncHttpClient.create()) {
            for (int round = 0; round < 50; round++) {
                List<CompletableFuture<ClientResponse>> batch = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    batch.add(client.send(get("/hello")));
                }
                batch.forEach(f -> assertThat(join(f).bodyAsString()).isEqualTo("hello"));
            }

            assertThat(upstream.requests()).isEqualTo(200);
            assertThat(upstream.connectionsAccepted()).isLessThanOrEqualTo(4);
            assertThat(client.connectionsOpened()).isEqualTo(upstream.connectionsAccepted());
        }
    }

    @Test
    void connectionsPerHostAreCappedAndCallersWait() {
        try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withMaxConnectionsPerHost(2))) {
            List<CompletableFuture<ClientResponse>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                all.add(client.send(get("/sleep?ms=50")));
            }

            all.forEach(f -> assertThat(join(f).status()).isEqualTo(200));
            assertThat(upstream.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void fullWaitQueueFailsFast() {
        ClientOptions options = ClientOptions.defaults().withMaxConnectionsPerHost(1).withMaxWaitingPerHost(1);
        try (AsyncHttpClient client = AsyncHttpClient.create(options)) {
            CompletableFuture<ClientResponse> running = client.send(get("/sleep?ms=1000"));
            CompletableFuture<ClientResponse> waiting = client.send(get("/sleep?ms=1"));
            CompletableFuture<ClientResponse> rejected = client.send(get("/sleep?ms=1"));

            assertFailure(() -> join(rejected), Kind.POOL_EXHAUSTED);
            assertThat(running.isDone()).as("rejected at once, not after the running call").isFalse();
            assertThat(join(running).status()).isEqualTo(200);
            assertThat(join(waiting).status()).isEqualTo(200);
        }
    }

    @Test
    void connectTimeoutCoversWaitingForABusyPool() {
        try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withMaxConnectionsPerHost(1))) {
            CompletableFuture<ClientResponse> holding = client.send(get("/sleep?ms=1500"));
            ClientRequest impatient = ClientRequest.get(upstream.uri("/hello")).connectTimeout(Duration.ofMillis(200)).build();

            assertFailure(() -> join(client.send(impatient)), Kind.CONNECT_TIMEOUT);
            assertThat(join(holding).status()).isEqualTo(200);
            assertThat(join(client.send(get("/hello"))).bodyAsString()).as("the pool still works").isEqualTo("hello");
            assertThat(upstream.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void responseTimeoutFailsTheCallAndTheConnectionIsNotReused() {
        try (AsyncHttpClient client = AsyncHttpClient.create()) {
            ClientRequest slow = ClientRequest.get(upstream.uri("/sleep?ms=3000")).responseTimeout(Duration.ofMillis(200)).build();

            assertFailure(() -> join(client.send(slow)), Kind.RESPONSE_TIMEOUT);
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsClosed() == 1);
            assertThat(join(client.send(get("/hello"))).bodyAsString()).isEqualTo("hello");
            assertThat(upstream.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void cancellingTheFutureAbortsTheExchangeAndClosesItsConnection() {
        try (AsyncHttpClient client = AsyncHttpClient.create()) {
            CompletableFuture<ClientResponse> pending = client.send(get("/sleep?ms=10000"));
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == 1);

            pending.cancel(true);

            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsClosed() == 1);
            assertThat(join(client.send(get("/hello"))).bodyAsString()).isEqualTo("hello");
            assertThat(upstream.connectionsAccepted()).as("the aborted connection was not reused").isEqualTo(2);
        }
    }

    @Test
    void serverClosingMidResponseIsReportedAsSuch() {
        try (AsyncHttpClient client = AsyncHttpClient.create()) {
            HttpClientException e = assertFailure(() -> join(client.send(get("/close-mid"))), Kind.CLOSED_MID_RESPONSE);
            assertThat(e).hasMessageStartingWith("127.0.0.1:" + upstream.port() + ": ");
        }
    }

    @Test
    void garbageIsAMalformedResponse() {
        try (AsyncHttpClient client = AsyncHttpClient.create()) {
            assertFailure(() -> join(client.send(get("/garbage"))), Kind.MALFORMED_RESPONSE);
        }
    }

    @Test
    void refusedPortIsAConnectFailureNamingTheHost() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (AsyncHttpClient client = AsyncHttpClient.create()) {
            HttpClientException e = assertFailure(() -> join(client.send(ClientRequest.get(
                    URI.create("http://127.0.0.1:" + closedPort + "/")).build())), Kind.CONNECT_FAILED);
            assertThat(e.host()).isEqualTo("127.0.0.1:" + closedPort);
            assertThat(e).hasMessageContaining("connection refused");
        }
    }

    @Test
    void bodyOverTheLimitIsRejected() {
        try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withMaxResponseBody(1024))) {
            assertThat(join(client.send(get("/big?bytes=1000"))).body()).hasSize(1000);
            assertFailure(() -> join(client.send(get("/big?bytes=5000"))), Kind.BODY_TOO_LARGE);
        }
    }

    @Test
    void idleConnectionsAreEvicted() {
        try (AsyncHttpClient client = AsyncHttpClient.create(ClientOptions.defaults().withIdleTimeout(Duration.ofMillis(300)))) {
            assertThat(join(client.send(get("/hello"))).status()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsClosed() == 1);
            assertThat(join(client.send(get("/hello"))).status()).isEqualTo(200);
        }
    }

    @Test
    void connectionCloseAnswerIsNotReused() {
        try (AsyncHttpClient client = AsyncHttpClient.create()) {
            assertThat(join(client.send(get("/close"))).bodyAsString()).isEqualTo("bye");
            assertThat(join(client.send(get("/close"))).bodyAsString()).isEqualTo("bye");

            assertThat(upstream.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void blockingFacadeSharesThePoolAndAnInterruptAbortsTheCall() throws Exception {
        try (AsyncHttpClient async = AsyncHttpClient.create()) {
            BlockingHttpClient blocking = new BlockingHttpClient(async);
            assertThat(blocking.send(get("/hello")).bodyAsString()).isEqualTo("hello");

            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    blocking.send(get("/sleep?ms=10000"));
                } catch (InterruptedException expected) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.requests() == 2);
            caller.interrupt();
            caller.join(TimeUnit.SECONDS.toMillis(10));

            await().atMost(Duration.ofSeconds(10)).until(() -> upstream.connectionsClosed() == 1);
            assertThat(async.connectionsOpened()).isEqualTo(upstream.connectionsAccepted());
        }
    }

    private ClientRequest get(String pathAndQuery) {
        return ClientRequest.get(upstream.uri(pathAndQuery)).build();
    }

    private static HttpClientException assertFailure(ThrowingCallable call, Kind kind) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(CompletionException.class);
        assertThat(thrown.getCause()).isInstanceOf(HttpClientException.class);
        HttpClientException e = (HttpClientException) thrown.getCause();
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        return e;
    }
}
