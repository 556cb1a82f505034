package dev.asyncprod.base;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Netty I/O transport: the event-loop flavour and the matching channel classes.
 * Server and client pick it the same way, so both sides of a benchmark run on the same I/O path.
 */
public final class NettyTransport {

    // Netty's own logger factory: base carries no logging API of its own, and Netty's finds the
    // process's SLF4J binding, so the fallback line is formatted like every other line of the server.
    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(NettyTransport.class);

    /** What a user may ask for on the command line. */
    public enum Kind {
        /** epoll where the native library loads, otherwise NIO. */
        AUTO, EPOLL, IO_URING, NIO;

        public static Kind parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private final String name;
    private final IoHandlerFactory ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;

    private NettyTransport(String name, IoHandlerFactory factory,
                           Class<? extends ServerChannel> serverChannel,
                           Class<? extends SocketChannel> socketChannel) {
        this.name = name;
        this.ioHandlerFactory = factory;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    /**
     * Resolves a requested kind ({@link TransportChoice} decides). {@code AUTO} never fails; an
     * explicit {@code EPOLL} that cannot load fails with the loader's reason rather than silently
     * measuring something else; an explicit {@code IO_URING} that the kernel or a seccomp profile
     * refuses serves on epoll and says so in one warning.
     */
    public static NettyTransport select(Kind kind) {
        TransportChoice choice = TransportChoice.of(kind, Epoll::unavailabilityCause, IoUring::unavailabilityCause);
        choice.fallback().ifPresent(LOG::warn);
        return of(choice.kind());
    }

    private static NettyTransport of(Kind kind) {
        return switch (kind) {
            case EPOLL -> epoll();
            case IO_URING -> new NettyTransport("io_uring", IoUringIoHandler.newFactory(),
                    IoUringServerSocketChannel.class, IoUringSocketChannel.class);
            case NIO -> nio();
            case AUTO -> throw new IllegalArgumentException("AUTO is resolved by TransportChoice");
        };
    }

    private static NettyTransport epoll() {
        return new NettyTransport("epoll", EpollIoHandler.newFactory(),
                EpollServerSocketChannel.class, EpollSocketChannel.class);
    }

    private static NettyTransport nio() {
        return new NettyTransport("nio", NioIoHandler.newFactory(),
                NioServerSocketChannel.class, NioSocketChannel.class);
    }

    /** An event-loop group of {@code threads} loops whose threads are named {@code <prefix>-<n>}. */
    public MultiThreadIoEventLoopGroup newGroup(int threads, String threadPrefix) {
        // FastThreadLocalThreads, which Netty's allocator and recyclers rely on; names users can read in a
        // thread dump or a /sleep answer: event-loop-1, event-loop-2, ...
        AtomicInteger ids = new AtomicInteger();
        ThreadFactory factory = task -> {
            Thread thread = new FastThreadLocalThread(task, threadPrefix + "-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new MultiThreadIoEventLoopGroup(threads, factory, ioHandlerFactory);
    }

    public String name() {
        return name;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    @Override
    public String toString() {
        return name;
    }
}
