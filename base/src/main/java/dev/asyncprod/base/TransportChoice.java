package dev.asyncprod.base;

import dev.asyncprod.base.NettyTransport.Kind;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which transport a requested {@link Kind} becomes on this machine, and the one line to log when
 * that is not what was asked. Pure: it reads only the unavailability causes it is given (Netty's
 * {@code Epoll.unavailabilityCause()} and {@code IoUring.unavailabilityCause()} in production, any
 * cause in a test), so the fallback can be tested on a machine where io_uring works.
 *
 * @param kind     what to run on: {@code EPOLL}, {@code IO_URING} or {@code NIO}, never {@code AUTO}
 * @param fallback the warning to log once, when io_uring was asked for and cannot be had
 */
record TransportChoice(Kind kind, Optional<String> fallback) {

    /**
     * @param epollUnavailable   why epoll cannot load, or null where it can
     * @param ioUringUnavailable why io_uring cannot be used, or null where it can; asked only when
     *                           io_uring is, since the probe creates a ring
     * @throws IllegalStateException when {@code --transport epoll} was asked for and epoll cannot load:
     *                               a benchmark that asks for epoll must not measure NIO
     */
    static TransportChoice of(Kind asked, Supplier<Throwable> epollUnavailable, Supplier<Throwable> ioUringUnavailable) {
        return switch (asked) {
            case AUTO -> new TransportChoice(epollUnavailable.get() == null ? Kind.EPOLL : Kind.NIO, Optional.empty());
            case EPOLL -> {
                Throwable why = epollUnavailable.get();
                if (why != null) {
                    throw new IllegalStateException("--transport epoll: epoll is not available here: " + Causes.rootMessage(why), why);
                }
                yield new TransportChoice(Kind.EPOLL, Optional.empty());
            }
            case IO_URING -> {
                Throwable why = ioUringUnavailable.get();
                if (why == null) {
                    yield new TransportChoice(Kind.IO_URING, Optional.empty());
                }
                // Falls back rather than failing: the flag asks for a faster path, not for a different
                // service, and where it is refused (a container under Docker's default seccomp profile,
                // a kernel older than 5.14 or with kernel.io_uring_disabled set) the same image must serve.
                Kind instead = epollUnavailable.get() == null ? Kind.EPOLL : Kind.NIO;
                yield new TransportChoice(instead, Optional.of(fallbackLine(why, instead)));
            }
            case NIO -> new TransportChoice(Kind.NIO, Optional.empty());
        };
    }

    private static String fallbackLine(Throwable why, Kind instead) {
        String name = instead.name().toLowerCase(Locale.ROOT); // as the flag spells it
        return "--transport io_uring: io_uring is not available here (" + Causes.rootMessage(why) + "), serving on "
                + name + " instead. Docker 25+'s default seccomp profile refuses io_uring: in such a container, run with"
                + " --transport " + name + ", or with a seccomp profile that allows io_uring_setup, io_uring_enter and"
                + " io_uring_register.";
    }
}
