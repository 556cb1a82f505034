package dev.asyncprod.load.gen;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's request loop, confined to one event loop. Closed model: the next request goes
 * out when the previous answer is in. Open model: at the next time its {@link Schedule} intends,
 * or at once if that time passed while the previous answer was outstanding. A broken or timed-out
 * connection is replaced and the loop goes on until the run ends. Only answers that arrive within
 * the run are recorded (as wrk counts), and only those sent after the warm-up: requests, rate and
 * histograms all describe the same window.
 * A request still in flight at the end is waited for (up to the timeout) but not recorded, so the
 * server is left with nothing half-done, and the next run starts against an idle server.
 */
final class LoadConnection implements LoadLoop {

    /** A timer firing later than this means the generator fell behind, not the server. */
    static final long MISSED_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long RECONNECT_DELAY_MS = 100;

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final ByteBuf request; // unreleasable: the channel's release after each write leaves it whole
    private final Recording recording;
    private final Schedule schedule; // null in the closed model
    private final long measureFromNanos; // requests sent before this are the warm-up's: not recorded
    private final long endNanos;
    private final long timeoutNanos;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Where the connection is in its request loop. */
    private enum State {
        /** Opening a connection, or waiting to try again. */
        CONNECTING,
        /** Connected with nothing outstanding: the next request goes now, or when the schedule says. */
        IDLE,
        /** A request is out and its answer will count. */
        IN_FLIGHT,
        /** The run ended with a request out: its answer is awaited, not counted. */
        DRAINING,
        /** Done: nothing more is sent and the connection is closed. */
        STOPPED
    }

    private Channel channel;
    private State state = State.CONNECTING;
    private long intended;
    private long sent;
    private int status;
    private boolean keepAlive;

    /**
     * @param headRequests the request is a HEAD: its answers have no body
     * @param tls          for an {@code https} target (ALPN http/1.1); null for plain TCP
     */
    LoadConnection(Bootstrap template, EventLoop loop, String host, int port, ByteBuf request, boolean headRequests,
                   SslContext tls, Recording recording, Schedule schedule, long measureFromNanos, long endNanos,
                   long timeoutNanos) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        // The connection's own view of the shared, unreleasable request bytes: rewound for each send. A
        // connection has at most one request out, whose write is done before its answer can come.
        this.request = request.duplicate();
        this.recording = recording;
        this.schedule = schedule;
        this.measureFromNanos = measureFromNanos;
        this.endNanos = endNanos;
        this.timeoutNanos = timeoutNanos;
        this.bootstrap = template.clone().group(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port)); // the host as SNI, and verified
                }
                // A generator needs the status and where each answer ends, not a decoded response.
                ch.pipeline().addLast(new Reader(new ResponseScanner(headRequests, LoadConnection.this::onResponse)));
            }
        });
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /**
     * Called on this connection's loop by its loop's sweeper a few times per timeout period: one
     * periodic task per loop is far cheaper than a timer per request at 100k requests a second.
     */
    @Override
    public void checkTimeout(long now) {
        if (awaitingAnswer() && now - sent > timeoutNanos) {
            if (settle() == Settled.RECORD) {
                recording.failed(ErrorKind.TIMEOUT);
            }
            channel.close();
        }
    }

    /** Completes once the connection has stopped: at the end of the run, or earlier if it cannot reconnect. */
    @Override
    public CompletableFuture<Void> start() {
        loop.execute(this::connect);
        return done;
    }

    /** The run is over: send nothing more; an answer still in flight is awaited, unrecorded. On this connection's loop. */
    @Override
    public void stop() {
        if (state == State.IN_FLIGHT) {
            state = State.DRAINING;
        } else {
            finish();
        }
    }

    private boolean awaitingAnswer() {
        return state == State.IN_FLIGHT || state == State.DRAINING;
    }

    /** What became of the request that was out, for recording. */
    private enum Settled {
        /** Sent in the measured window: its outcome is recorded. */
        RECORD,
        /** Sent during the warm-up: not recorded; the run goes on. */
        WARM_UP,
        /** Out when the run ended: counted only as in flight at the end; the connection finishes. */
        ENDED
    }

    /** Leaves the in-flight state. */
    private Settled settle() {
        Settled settled = state == State.DRAINING ? Settled.ENDED
                : sent >= measureFromNanos ? Settled.RECORD : Settled.WARM_UP;
        recording.inFlight().decrementAndGet();
        if (settled == Settled.ENDED) {
            recording.abandoned();
        }
        state = State.IDLE;
        return settled;
    }

    private void connect() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.CONNECTING;
        bootstrap.connect(host, port).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                if (System.nanoTime() >= measureFromNanos) {
                    recording.failed(ErrorKind.CONNECT);
                }
                retryOrFinish();
                return;
            }
            if (state == State.STOPPED) {
                f.channel().close(); // the run ended while connecting
                return;
            }
            Handshake.whenReady(f.channel(), failure -> {
                if (failure != null) {
                    if (System.nanoTime() >= measureFromNanos) {
                        recording.tlsFailed(failure);
                    }
                    f.channel().close();
                    retryOrFinish();
                    return;
                }
                if (state == State.STOPPED) {
                    f.channel().close();
                    return;
                }
                channel = f.channel();
                channel.closeFuture().addListener(c -> onClosed(f.channel()));
                state = State.IDLE;
                sendWhenDue();
            });
        });
    }

    private void retryOrFinish() {
        if (state != State.STOPPED && System.nanoTime() < endNanos) {
            loop.schedule(this::connect, RECONNECT_DELAY_MS, TimeUnit.MILLISECONDS);
        } else {
            finish();
        }
    }

    private void sendWhenDue() {
        long now = System.nanoTime();
        if (state == State.STOPPED || now >= endNanos) {
            finish();
            return;
        }
        if (schedule == null) {
            intended = now;
            send(now);
            return;
        }
        intended = schedule.nextIntended();
        if (intended >= endNanos) {
            return; // the schedule has nothing more in this run: idle until stop(), as the run lasts its duration
        }
        if (intended > now) {
            Channel target = channel;
            loop.schedule(() -> sendOnTimer(target), intended - now, TimeUnit.NANOSECONDS);
        } else {
            send(now); // late because the previous answer was: the server's delay, which the response time shows
        }
    }

    private void sendOnTimer(Channel target) {
        long now = System.nanoTime();
        if (now - intended > MISSED_THRESHOLD_NANOS && intended >= measureFromNanos) {
            recording.missedSchedule();
        }
        if (state != State.IDLE || channel != target || !target.isActive()) {
            return; // ended, or replaced meanwhile (the new connection goes on with the schedule)
        }
        send(now);
    }

    private void send(long now) {
        sent = now;
        state = State.IN_FLIGHT;
        recording.inFlight().incrementAndGet();
        channel.writeAndFlush(request.readerIndex(0), channel.voidPromise());
    }

    private void onResponse(int status, boolean keepAlive) {
        if (awaitingAnswer()) {
            this.status = status;
            this.keepAlive = keepAlive;
            onAnswered();
        }
    }

    private void onAnswered() {
        long now = System.nanoTime();
        if (state == State.IN_FLIGHT && now >= endNanos) {
            state = State.DRAINING; // answered after the end, before the stop ran: not part of the run
        }
        Settled settled = settle();
        if (settled == Settled.ENDED) {
            finish();
            return;
        }
        if (settled == Settled.RECORD) {
            recording.answered(intended, sent, now, status);
        }
        if (keepAlive) {
            sendWhenDue();
        } else {
            channel.close(); // onClosed opens the next one
        }
    }

    private void onClosed(Channel closed) {
        if (closed != channel || state == State.STOPPED) {
            return;
        }
        channel = null;
        boolean runGoesOn = true;
        if (awaitingAnswer()) {
            Settled settled = settle();
            if (settled == Settled.RECORD) {
                recording.failed(ErrorKind.READ);
            }
            runGoesOn = settled != Settled.ENDED;
        }
        if (runGoesOn && System.nanoTime() < endNanos) {
            connect();
        } else {
            finish();
        }
    }

    private void finish() {
        if (awaitingAnswer() || state == State.STOPPED) {
            return; // in flight: its answer or the timeout sweep ends it
        }
        state = State.STOPPED;
        if (channel != null) {
            Channel c = channel;
            channel = null;
            c.close();
        }
        done.complete(null);
    }

    /** Reads answers off the wire; bodies are skipped as they arrive. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final ResponseScanner scanner;

        Reader(ResponseScanner scanner) {
            this.scanner = scanner;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                scanner.scan(bytes);
            } catch (RuntimeException notHttp) {
                ctx.close(); // counted as a read error by onClosed
            } finally {
                bytes.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            scanner.closed(); // a body that runs to the close is whole now
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
