package dev.asyncprod.server;

import static dev.asyncprod.base.testing.BoundedJoin.join;
import static dev.asyncprod.server.support.JsonFields.longField;
import static dev.asyncprod.server.support.JsonFields.longs;
import static dev.asyncprod.server.support.JsonFields.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asyncprod.server.config.Mode;
import dev.asyncprod.server.support.Http;
import dev.asyncprod.server.support.ServerExtension;
import io.netty.channel.uring.IoUring;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --transport io_uring} serves end to end in every mode: the public port, the sockets the
 * server opens itself on the same loops ({@code /fanout}'s client calls), and many connections at
 * once. Skipped, saying why, where this kernel or its seccomp profile refuses io_uring (there
 * {@code TransportChoiceTest} covers the fallback).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoUringTransportTest {

    @RegisterExtension
    static final ServerExtension servers = ServerExtension.allModes("--transport=io_uring");

    @BeforeAll
    static void ioUringLoadsHere() {
        // Runs after the extension has started the servers: where io_uring is refused they serve on epoll.
        assumeTrue(IoUring.isAvailable(), () -> "io_uring is not available here: " + IoUring.unavailabilityCause());
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void theServerRunsOnIoUringAndAnswers(Mode mode) {
        assertThat(stringField(Http.get(servers.uri(mode, "/info")).body(), "transport")).isEqualTo("io_uring");
        assertThat(Http.get(servers.uri(mode, "/hello")).body()).isEqualTo("hello");
        assertThat(longField(Http.get(servers.uri(mode, "/sleep?ms=20")).body(), "slept_ms")).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void outboundCallsRunOnTheSameIoUringLoops(Mode mode) {
        HttpResponse<String> r = Http.get(servers.uri(mode, "/fanout?n=3&ms=20"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(longs(r.body(), "status")).containsOnly(200L).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void manyConnectionsAtOnceEachGetTheirAnswer(Mode mode) {
        // The JDK client opens a connection per request in flight: 200 sockets on the ring at once.
        List<CompletableFuture<HttpResponse<String>>> inFlight = IntStream.range(0, 200)
                .mapToObj(i -> Http.sendAsync(HttpRequest.newBuilder(servers.uri(mode, "/sleep?ms=100"))
                        .timeout(Duration.ofSeconds(30)).build()))
                .toList();

        assertThat(inFlight).allSatisfy(f -> assertThat(join(f).statusCode()).isEqualTo(200));
    }
}
