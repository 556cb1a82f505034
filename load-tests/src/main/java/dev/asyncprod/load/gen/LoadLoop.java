package dev.asyncprod.load.gen;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One connection's request loops, as the generator drives them: its {@link RequestSlot}s (one
 * over HTTP/1.1, {@code -m} over HTTP/2), the connection they share, opened and replaced by one
 * {@link Reconnect} policy, and the run's end. The {@link Wire} writes and reads; everything about
 * when a request goes and what counts is here and in the slots, the same for both protocols.
 * Confined to one event loop.
 *
 * <p>After each outcome a slot sends its next request when due (see {@link RequestSlot}). A request
 * out longer than the timeout is counted as one and cancelled on the wire; a connection that
 * closes fails the requests it carried (read errors) and is replaced, and the slots go on with
 * their schedules on the new one. The loop runs until the end of the run, even once its slots'
 * schedules are spent, so that the run lasts its duration. At the end ({@link #stop}) nothing more
 * is sent, and what is in flight is awaited (up to the timeout) but not recorded, so the server is
 * left with nothing half-done and the next run starts against an idle server.
 */
final class LoadLoop<R> implements Reconnect.Owner {

    private final EventLoop loop;
    private final RequestSlot<R>[] slots;
    private final long timeoutNanos;
    private final long endNanos;
    private final Wire<R> wire;
    private final Reconnect reconnect;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Channel channel; // carrying the requests; null while (re)connecting and once finished
    private boolean stopped;

    /** @param wire makes this loop's wire, given the loop it reports to */
    @SuppressWarnings("unchecked")
    LoadLoop(RunSetup run, EventLoop loop, List<RequestSlot<R>> slots, Function<LoadLoop<R>, Wire<R>> wire) {
        this.loop = loop;
        this.slots = slots.toArray(new RequestSlot[0]);
        this.timeoutNanos = run.timeoutNanos();
        this.endNanos = run.window().endNanos();
        this.wire = wire.apply(this);
        Bootstrap bootstrap = run.template().clone().group(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (run.tls() != null) {
                    ch.pipeline().addLast(run.tls().newHandler(ch.alloc(), run.host(), run.port())); // the host as SNI, and verified
                }
                LoadLoop.this.wire.initChannel(ch);
            }
        });
        this.reconnect = new Reconnect(bootstrap, run.remote(), loop, run.recording(), run.window(), this.wire::refusal, this);
    }

    EventLoop loop() {
        return loop;
    }

    /** Connects and runs; completes once stopped: at the end of the run, or earlier if it cannot reconnect. */
    CompletableFuture<Void> start() {
        loop.execute(reconnect::open);
        return done;
    }

    /** The run is over: nothing more is sent; what is in flight is awaited, unrecorded. On {@link #loop()}. */
    void stop() {
        stopped = true;
        for (RequestSlot<R> slot : slots) {
            slot.runEnded();
        }
        finishIfIdle();
    }

    /**
     * Called on {@link #loop()} a few times per timeout period by its loop's sweeper: one periodic
     * task per loop is far cheaper than a timer per request at 100k requests a second.
     */
    void checkTimeout(long now) {
        boolean cancelled = false;
        for (RequestSlot<R> slot : slots) {
            if (slot.overdue(now, timeoutNanos)) {
                slot.failed(ErrorKind.TIMEOUT);
                wire.cancel(slot);
                cancelled = true;
                afterOutcome(slot);
            }
        }
        if (cancelled && channel != null) {
            wire.flush(); // the cancels and the requests that followed them: no read follows a timer to flush them
        }
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    @Override
    public void opened(Channel ch) {
        channel = ch;
        ch.closeFuture().addListener(f -> closed(ch));
        if (wire.attach(ch)) {
            ready();
        }
    }

    @Override
    public void gaveUp() {
        stopped = true;
        finishIfIdle();
    }

    /** The connection takes requests: every slot sends when due. */
    void ready() {
        for (RequestSlot<R> slot : slots) {
            sendWhenDue(slot);
        }
        wire.flush();
    }

    /** The wire read the whole answer to the slot's request. */
    void answered(RequestSlot<R> slot, int status) {
        slot.answered(System.nanoTime(), status);
        afterOutcome(slot);
    }

    /** The slot's request failed on a connection that goes on (HTTP/2: the server reset its stream). */
    void failed(RequestSlot<R> slot, ErrorKind kind) {
        slot.failed(kind);
        afterOutcome(slot);
    }

    /** A slot whose request the wire held (for a free HTTP/2 stream) sends it now, unless the run ended meanwhile. */
    void sendNow(RequestSlot<R> slot) {
        long now = System.nanoTime();
        if (!stopped && channel != null && now < endNanos) {
            wire.send(slot, now);
        }
    }

    private void afterOutcome(RequestSlot<R> slot) {
        wire.freed(slot);
        sendWhenDue(slot);
        finishIfIdle();
    }

    /** The slot's next request: now, on a timer at its intended time, or none if the run has no more for it. */
    private void sendWhenDue(RequestSlot<R> slot) {
        if (stopped || channel == null || slot.inFlight() || !wire.canSend()) {
            return; // (in flight already: a replacement connection that opened at once has sent for it)
        }
        long now = System.nanoTime();
        long due = slot.nextDue(now);
        if (due == RequestSlot.NOTHING_DUE) {
            return; // idle until stop(): the run lasts its duration
        }
        if (due > now) {
            Channel target = channel;
            loop.schedule(() -> sendOnTimer(slot, target), due - now, TimeUnit.NANOSECONDS);
        } else {
            wire.send(slot, now); // late because the previous answer was: the server's delay, which the response time shows
        }
    }

    private void sendOnTimer(RequestSlot<R> slot, Channel target) {
        long now = System.nanoTime();
        slot.timerFired(now);
        if (stopped || channel != target || slot.inFlight() || !target.isActive() || !wire.canSend()) {
            return; // ended, or replaced meanwhile (the new connection goes on with the schedule)
        }
        wire.send(slot, now);
        wire.flush();
    }

    private void closed(Channel ch) {
        if (ch != channel) {
            return; // let go of by finishIfIdle
        }
        channel = null;
        wire.detach();
        for (RequestSlot<R> slot : slots) {
            if (slot.inFlight()) {
                slot.failed(ErrorKind.READ);
            }
        }
        reconnect.replace();
    }

    private void finishIfIdle() {
        if (!stopped || done.isDone()) {
            return;
        }
        for (RequestSlot<R> slot : slots) {
            if (slot.inFlight()) {
                return; // its answer, its failure or the timeout sweep ends it
            }
        }
        if (channel != null) {
            Channel c = channel;
            channel = null;
            wire.detach();
            c.close();
        }
        done.complete(null);
    }
}
