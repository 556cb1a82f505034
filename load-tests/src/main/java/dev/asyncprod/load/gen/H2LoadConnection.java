package dev.asyncprod.load.gen;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection carrying {@code maxStreams} request loops at once, as h2load's {@code -m}:
 * each {@link Slot} is a closed-model (or scheduled, open-model) loop of its own, and its requests
 * are streams on the shared connection. Recording follows {@link LoadConnection}: only answers to
 * requests sent in the measured window count; a request out at the end is awaited, not counted.
 * Streams beyond the server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} wait for a free one. A
 * broken connection fails its open streams (read errors) and is replaced; a GOAWAY lets the open
 * streams finish and then replaces it. Confined to one event loop.
 */
final class H2LoadConnection implements LoadLoop {

    private static final long RECONNECT_DELAY_MS = 100;

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final Http2Headers request;
    private final ByteBuf body; // unreleasable; empty for none
    private final Recording recording;
    private final long measureFromNanos;
    private final long endNanos;
    private final long timeoutNanos;
    private final Slot[] slots;
    private final IntObjectHashMap<Slot> byStream = new IntObjectHashMap<>();
    private final ArrayDeque<Slot> waitingForStream = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Channel channel;
    private Client client;
    private boolean goingAway; // the server sent GOAWAY: no new streams here
    private boolean stopped;

    /** One request loop: the stream it has out, if any. */
    private static final class Slot {
        final Schedule schedule; // null: closed model
        int streamId; // 0: nothing out
        boolean draining; // out when the run ended: awaited, not counted
        long intended;
        long sent;
        int status;

        Slot(Schedule schedule) {
            this.schedule = schedule;
        }

        boolean inFlight() {
            return streamId != 0;
        }
    }

    H2LoadConnection(Bootstrap template, EventLoop loop, String host, int port, Http2Headers request, ByteBuf body,
                     SslContext tls, Recording recording, Schedule[] schedules, long measureFromNanos, long endNanos,
                     long timeoutNanos) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.request = request;
        this.body = body;
        this.recording = recording;
        this.measureFromNanos = measureFromNanos;
        this.endNanos = endNanos;
        this.timeoutNanos = timeoutNanos;
        this.slots = new Slot[schedules.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(schedules[i]);
        }
        this.bootstrap = template.clone().group(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                }
                ch.pipeline().addLast(new ClientBuilder(H2LoadConnection.this).build());
            }
        });
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public CompletableFuture<Void> start() {
        loop.execute(this::connect);
        return done;
    }

    @Override
    public void stop() {
        stopped = true;
        waitingForStream.clear();
        for (Slot slot : slots) {
            if (slot.inFlight()) {
                slot.draining = true;
            }
        }
        finishIfIdle();
    }

    @Override
    public void checkTimeout(long now) {
        for (Slot slot : slots) {
            if (slot.inFlight() && now - slot.sent > timeoutNanos) {
                int stream = slot.streamId;
                if (settle(slot)) {
                    recording.failed(ErrorKind.TIMEOUT);
                }
                client.encoder().writeRstStream(client.ctx, stream, Http2Error.CANCEL.code(), client.ctx.newPromise());
                sendWhenDue(slot);
                client.ctx.flush(); // the reset and the next request: no read follows a timer to flush them
            }
        }
        finishIfIdle();
    }

    private void connect() {
        if (stopped) {
            finishIfIdle();
            return;
        }
        goingAway = false;
        bootstrap.connect(host, port).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                if (System.nanoTime() >= measureFromNanos) {
                    recording.failed(ErrorKind.CONNECT);
                }
                retryOrFinish();
                return;
            }
            Handshake.whenReady(f.channel(), failure -> {
                SslHandler tls = f.channel().pipeline().get(SslHandler.class);
                if (failure == null && tls != null && !ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                    failure = "the server does not speak HTTP/2 (ALPN gave " + tls.applicationProtocol() + ")";
                }
                if (failure != null) {
                    if (System.nanoTime() >= measureFromNanos) {
                        recording.tlsFailed(failure);
                    }
                    f.channel().close();
                    retryOrFinish();
                    return;
                }
                if (stopped) {
                    f.channel().close();
                    finishIfIdle();
                    return;
                }
                channel = f.channel();
                client = channel.pipeline().get(Client.class);
                channel.closeFuture().addListener(c -> onClosed(f.channel()));
                if (client.settingsReceived) {
                    startStreams();
                } // else the server's SETTINGS start them: its stream cap is known by then
            });
        });
    }

    /** The connection is ready and the server's stream cap known: every slot sends. */
    private void startStreams() {
        for (Slot slot : slots) {
            sendWhenDue(slot);
        }
        client.ctx.flush();
    }

    private void retryOrFinish() {
        if (!stopped && System.nanoTime() < endNanos) {
            loop.schedule(this::connect, RECONNECT_DELAY_MS, TimeUnit.MILLISECONDS);
        } else {
            stopped = true;
            finishIfIdle();
        }
    }

    private void sendWhenDue(Slot slot) {
        long now = System.nanoTime();
        if (stopped || now >= endNanos || channel == null || goingAway) {
            return;
        }
        if (slot.schedule == null) {
            slot.intended = now;
            send(slot, now);
            return;
        }
        slot.intended = slot.schedule.nextIntended();
        if (slot.intended >= endNanos) {
            return;
        }
        if (slot.intended > now) {
            Channel target = channel;
            loop.schedule(() -> {
                long at = System.nanoTime();
                if (at - slot.intended > LoadConnection.MISSED_THRESHOLD_NANOS && slot.intended >= measureFromNanos) {
                    recording.missedSchedule();
                }
                if (channel == target && !slot.inFlight()) {
                    send(slot, at);
                    client.ctx.flush();
                }
            }, slot.intended - now, TimeUnit.NANOSECONDS);
        } else {
            send(slot, now);
        }
    }

    private void send(Slot slot, long now) {
        if (stopped || goingAway || channel == null || !channel.isActive()) {
            return;
        }
        if (!client.connection().local().canOpenStream()) {
            waitingForStream.add(slot); // the server's stream cap: goes out when one ends
            return;
        }
        int stream = client.connection().local().incrementAndGetNextStreamId();
        if (stream < 0) { // stream ids used up (2^30 requests): a new connection goes on
            goingAway = true;
            channel.close();
            return;
        }
        slot.streamId = stream;
        slot.sent = now;
        slot.draining = false;
        byStream.put(stream, slot);
        recording.inFlight().incrementAndGet();
        boolean hasBody = body.isReadable();
        client.encoder().writeHeaders(client.ctx, stream, request, 0, !hasBody, client.ctx.newPromise());
        if (hasBody) {
            client.encoder().writeData(client.ctx, stream, body.duplicate(), 0, true, client.ctx.newPromise());
        }
    }

    /** The slot's stream is over; true if its outcome is to be recorded. */
    private boolean settle(Slot slot) {
        byStream.remove(slot.streamId);
        slot.streamId = 0;
        recording.inFlight().decrementAndGet();
        if (slot.draining) {
            slot.draining = false;
            recording.abandoned();
            return false;
        }
        return slot.sent >= measureFromNanos;
    }

    private void answered(int stream) {
        Slot slot = byStream.get(stream);
        if (slot == null) {
            return;
        }
        long now = System.nanoTime();
        if (now >= endNanos && !slot.draining) {
            slot.draining = true; // answered after the end, before the stop ran: not part of the run
        }
        if (settle(slot)) {
            recording.answered(slot.intended, slot.sent, now, slot.status);
        }
        streamEnded();
        sendWhenDue(slot);
    }

    private void reset(int stream) {
        Slot slot = byStream.get(stream);
        if (slot == null) {
            return;
        }
        if (settle(slot)) {
            recording.failed(ErrorKind.READ);
        }
        streamEnded();
        sendWhenDue(slot);
    }

    /** A stream ended: one that waited for the server's cap may go, or a connection going away may close. */
    private void streamEnded() {
        Slot next = waitingForStream.poll();
        if (next != null) {
            send(next, System.nanoTime());
        }
        if (goingAway && byStream.isEmpty() && channel != null) {
            channel.close(); // onClosed connects again
        }
        finishIfIdle();
    }

    private void onClosed(Channel closed) {
        if (closed != channel) {
            return;
        }
        channel = null;
        waitingForStream.clear();
        for (Slot slot : slots) {
            if (slot.inFlight() && settle(slot)) {
                recording.failed(ErrorKind.READ);
            }
        }
        if (!stopped && System.nanoTime() < endNanos) {
            connect();
        } else {
            stopped = true;
            finishIfIdle();
        }
    }

    private void finishIfIdle() {
        if (!stopped || done.isDone()) {
            return;
        }
        for (Slot slot : slots) {
            if (slot.inFlight()) {
                return; // its answer, a reset or the timeout sweep ends it
            }
        }
        if (channel != null) {
            Channel c = channel;
            channel = null;
            c.close();
        }
        done.complete(null);
    }

    /** Netty's HTTP/2 connection handler, whose frames this connection listens to. */
    static final class Client extends Http2ConnectionHandler {
        ChannelHandlerContext ctx;
        boolean settingsReceived;

        Client(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            super(decoder, encoder, settings);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
            this.ctx = ctx;
            super.handlerAdded(ctx);
        }
    }

    private static final class ClientBuilder extends AbstractHttp2ConnectionHandlerBuilder<Client, ClientBuilder> {
        ClientBuilder(H2LoadConnection owner) {
            server(false);
            frameListener(new Frames(owner));
            validateHeaders(false); // a generator reads the status and where each answer ends
        }

        @Override
        public Client build() {
            return super.build();
        }

        @Override
        protected Client build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            return new Client(decoder, encoder, settings);
        }
    }

    /** Status from the headers, the end of each answer; bodies are consumed (flow control) and skipped. */
    private static final class Frames extends Http2EventAdapter {
        private final H2LoadConnection owner;

        Frames(H2LoadConnection owner) {
            this.owner = owner;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            Slot slot = owner.byStream.get(streamId);
            if (slot != null && headers.status() != null) {
                slot.status = headers.getInt(Http2Headers.PseudoHeaderName.STATUS.value(), 0);
            }
            if (endOfStream) {
                owner.answered(streamId);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            if (endOfStream) {
                owner.answered(streamId);
            }
            return data.readableBytes() + padding; // consumed at once: the window reopens
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            Client client = ctx.pipeline().get(Client.class);
            if (client != null && !client.settingsReceived) {
                client.settingsReceived = true;
                if (owner.client == client) {
                    owner.startStreams(); // else the connect listener starts them when it runs
                }
            }
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            owner.reset(streamId);
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
            owner.goingAway = true; // streams above lastStreamId are reset by the codec; the rest finish
            owner.streamEnded();
        }
    }
}
