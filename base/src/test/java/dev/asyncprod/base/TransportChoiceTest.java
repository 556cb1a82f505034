package dev.asyncprod.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncprod.base.NettyTransport.Kind;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which transport a request becomes, fed the unavailability causes a kernel or a seccomp profile gives. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TransportChoiceTest {

    static final Supplier<Throwable> LOADS = () -> null;
    /**
     * What Netty's probe reports under Docker 25+'s default seccomp profile (io_uring_setup fails with
     * EPERM), as seen in a container, wrapped as Netty wraps a native failure.
     */
    static final Supplier<Throwable> SECCOMP = () -> new UnsatisfiedLinkError("failed to load the required native library")
            .initCause(new java.io.IOException("failed to create io_uring ring fd: Operation not permitted"));

    @Test
    void ioUringWhereItLoadsWithoutALine() {
        TransportChoice choice = TransportChoice.of(Kind.IO_URING, LOADS, LOADS);

        assertThat(choice.kind()).isEqualTo(Kind.IO_URING);
        assertThat(choice.fallback()).isEmpty();
    }

    @Test
    void ioUringRefusedFallsBackToEpollWithOneLineNamingTheFlagAndTheCause() {
        TransportChoice choice = TransportChoice.of(Kind.IO_URING, LOADS, SECCOMP);

        assertThat(choice.kind()).isEqualTo(Kind.EPOLL);
        assertThat(choice.fallback()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("--transport io_uring: io_uring is not available here"
                        + " (failed to create io_uring ring fd: Operation not permitted), serving on epoll instead.")
                .contains("seccomp")
                .doesNotContain("\n"));
    }

    @Test
    void ioUringRefusedWithoutEpollServesOnNioAndSaysSo() {
        Supplier<Throwable> noEpoll = () -> new UnsatisfiedLinkError("no netty_transport_native_epoll_aarch_64");
        TransportChoice choice = TransportChoice.of(Kind.IO_URING, noEpoll, SECCOMP);

        assertThat(choice.kind()).isEqualTo(Kind.NIO);
        assertThat(choice.fallback()).hasValueSatisfying(line -> assertThat(line).contains("serving on nio instead"));
    }

    @Test
    void autoIsEpollElseNioAndNeverProbesIoUring() {
        Supplier<Throwable> untouched = () -> {
            throw new AssertionError("auto probed io_uring (the probe creates a ring)");
        };

        assertThat(TransportChoice.of(Kind.AUTO, LOADS, untouched)).isEqualTo(new TransportChoice(Kind.EPOLL, java.util.Optional.empty()));
        assertThat(TransportChoice.of(Kind.AUTO, () -> new UnsatisfiedLinkError("macOS"), untouched).kind()).isEqualTo(Kind.NIO);
    }

    @Test
    void anExplicitEpollThatCannotLoadStillFails() {
        // A benchmark that asks for epoll must not silently measure NIO.
        assertThatThrownBy(() -> TransportChoice.of(Kind.EPOLL, () -> new UnsatisfiedLinkError("no native library"), LOADS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("--transport epoll: epoll is not available here: no native library");
    }

    @Test
    void theMachineItRunsOnResolvesEveryKind() {
        // The real probes: whatever this kernel allows, select() returns a transport and never throws for io_uring.
        assertThat(NettyTransport.select(Kind.IO_URING).name()).isIn("io_uring", "epoll", "nio");
        assertThat(NettyTransport.select(Kind.AUTO).name()).isIn("epoll", "nio");
        assertThat(NettyTransport.select(Kind.NIO).name()).isEqualTo("nio");
    }
}
