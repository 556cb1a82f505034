package dev.asyncprod.load.gen;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2's wire, as h2load's {@code -m}: each slot's request is a stream on one shared connection.
 * The connection takes requests once the server's SETTINGS are in (its stream cap known); a stream
 * beyond its {@code SETTINGS_MAX_CONCURRENT_STREAMS} waits for one to end. A GOAWAY lets the open
 * streams finish and then closes the connection (the loop opens the next); a timed-out stream is
 * reset ({@code CANCEL}) and its slot goes on on the same connection. The frames are read by the
 * connection's {@link Http2WireHandler}.
 */
final class Http2Wire implements Wire<Http2Request> {

    private final LoadLoop<Http2Request> loop;
    private final IntObjectHashMap<RequestSlot<Http2Request>> byStream = new IntObjectHashMap<>();
    private final int[] streamOf; // by slot index: the stream its request is on
    private final int[] statusOf; // by slot index: the status of the answer coming in
    private final ArrayDeque<RequestSlot<Http2Request>> waitingForStream = new ArrayDeque<>();
    private final Runnable sendWaiting = this::sendWaiting;
    private Http2WireHandler handler; // the attached connection's handler; null while there is none
    private boolean goingAway; // the server sent GOAWAY: no new streams here
    private boolean sendWaitingQueued;

    private Http2Wire(LoadLoop<Http2Request> loop, int slots) {
        this.loop = loop;
        this.streamOf = new int[slots];
        this.statusOf = new int[slots];
    }

    /**
     * One HTTP/2 connection's loop with a slot per schedule.
     *
     * @param schedules one per stream kept in flight ({@code -m}); each null in the closed model
     */
    static LoadLoop<Http2Request> newLoop(RunSetup run, EventLoop eventLoop, Http2Request request, Schedule[] schedules) {
        List<RequestSlot<Http2Request>> slots = new ArrayList<>(schedules.length);
        for (int i = 0; i < schedules.length; i++) {
            slots.add(new RequestSlot<>(i, request, schedules[i], run.window(), run.recording()));
        }
        return new LoadLoop<>(run, eventLoop, slots, loop -> new Http2Wire(loop, schedules.length));
    }

    @Override
    public void initChannel(Channel ch) {
        ch.pipeline().addLast(Http2WireHandler.newHandler(this));
    }

    @Override
    public String refusal(Channel ch) {
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        return tls == null || ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol()) ? null
                : "the server does not speak HTTP/2 (ALPN gave " + tls.applicationProtocol() + ")";
    }

    @Override
    public boolean attach(Channel ch) {
        handler = ch.pipeline().get(Http2WireHandler.class);
        goingAway = false;
        return handler.settingsReceived; // else the server's SETTINGS make it ready
    }

    @Override
    public void detach() {
        handler = null;
        byStream.clear();
        waitingForStream.clear();
    }

    @Override
    public boolean canSend() {
        return !goingAway;
    }

    @Override
    public void send(RequestSlot<Http2Request> slot, long now) {
        if (goingAway || !handler.ctx.channel().isActive()) {
            return;
        }
        if (!handler.connection().local().canOpenStream()) {
            waitingForStream.add(slot); // the server's stream cap: goes out when one ends
            return;
        }
        int stream = handler.connection().local().incrementAndGetNextStreamId();
        if (stream < 0) { // stream ids used up (2^30 requests): a new connection goes on
            goingAway = true;
            handler.ctx.channel().close();
            return;
        }
        streamOf[slot.index()] = stream;
        byStream.put(stream, slot);
        slot.sent(now);
        Http2Request request = slot.request();
        boolean hasBody = request.body().isReadable();
        handler.encoder().writeHeaders(handler.ctx, stream, request.headers(), 0, !hasBody, handler.ctx.newPromise());
        if (hasBody) {
            handler.encoder().writeData(handler.ctx, stream, request.body().duplicate(), 0, true, handler.ctx.newPromise());
        }
    }

    @Override
    public void flush() {
        if (handler != null) {
            handler.ctx.flush();
        }
    }

    @Override
    public void cancel(RequestSlot<Http2Request> slot) {
        int stream = streamOf[slot.index()];
        byStream.remove(stream);
        handler.encoder().writeRstStream(handler.ctx, stream, Http2Error.CANCEL.code(), handler.ctx.newPromise());
    }

    /** A stream ended: a connection going away closes once its last one has. */
    @Override
    public void freed(RequestSlot<Http2Request> slot) {
        if (goingAway && byStream.isEmpty() && handler != null) {
            handler.ctx.channel().close(); // the loop opens the next
        }
    }

    /**
     * The codec closed a stream, which frees a place under the server's cap only once this returns
     * (an answer's stream closes after its frame has been read): the slots waiting for one go in
     * a task of their own, first come first, and are flushed there.
     */
    void streamClosed(Http2WireHandler from) {
        if (from == handler && !waitingForStream.isEmpty() && !sendWaitingQueued) {
            sendWaitingQueued = true;
            from.ctx.executor().execute(sendWaiting);
        }
    }

    private void sendWaiting() {
        sendWaitingQueued = false;
        if (handler == null) {
            return;
        }
        while (!goingAway && !waitingForStream.isEmpty() && handler.connection().local().canOpenStream()) {
            loop.sendNow(waitingForStream.poll());
        }
        flush(); // a send may have closed the connection (stream ids used up), and detached it
    }

    // What the connection's Http2WireHandler read, passed on.

    void statusRead(int stream, int status) {
        RequestSlot<Http2Request> slot = byStream.get(stream);
        if (slot != null) {
            statusOf[slot.index()] = status;
        }
    }

    void streamEnded(int stream) {
        RequestSlot<Http2Request> slot = byStream.remove(stream);
        if (slot != null) {
            loop.answered(slot, statusOf[slot.index()]);
        }
    }

    void streamReset(int stream) {
        RequestSlot<Http2Request> slot = byStream.remove(stream);
        if (slot != null) {
            loop.failed(slot, ErrorKind.READ);
        }
    }

    void settingsRead(Http2WireHandler from) {
        if (!from.settingsReceived) {
            from.settingsReceived = true;
            if (handler == from) {
                loop.ready(); // else attach() finds them received
            }
        }
    }

    void goAwayRead(Http2WireHandler from) {
        if (from != handler) {
            return; // a connection already let go of
        }
        goingAway = true; // streams above the last one the server takes are reset by the codec; the rest finish
        if (byStream.isEmpty()) {
            handler.ctx.channel().close();
        }
    }
}
