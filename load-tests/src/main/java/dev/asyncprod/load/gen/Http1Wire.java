package dev.asyncprod.load.gen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.List;

/**
 * HTTP/1.1's wire: one slot, one request out at a time, written as the bytes encoded once for the
 * run; answers are found by a {@link ResponseScanner} (status, where each ends, whether the
 * connection stays open), not decoded. An answer with {@code Connection: close} and a timeout
 * both close the connection; the loop opens the next.
 */
final class Http1Wire implements Wire<ByteBuf> {

    private final LoadLoop<ByteBuf> loop;
    private final RequestSlot<ByteBuf> slot;
    private final boolean headRequests;
    private Channel channel;
    private boolean closing; // the answer just read said the connection closes, or a timeout closed it

    private Http1Wire(LoadLoop<ByteBuf> loop, RequestSlot<ByteBuf> slot, boolean headRequests) {
        this.loop = loop;
        this.slot = slot;
        this.headRequests = headRequests;
    }

    /**
     * One HTTP/1.1 connection's loop.
     *
     * @param request      the encoded request, shared and unreleasable; this connection rewinds its own view of it
     *                     for each send (its one request's write is done before its answer can come)
     * @param headRequests the request is a HEAD: its answers have no body
     * @param schedule     the open model's send times; null for the closed model
     */
    static LoadLoop<ByteBuf> newLoop(RunSetup run, EventLoop eventLoop, ByteBuf request, boolean headRequests,
                                     Schedule schedule) {
        RequestSlot<ByteBuf> slot = new RequestSlot<>(0, request.duplicate(), schedule, run.window(), run.recording());
        return new LoadLoop<>(run, eventLoop, List.of(slot), loop -> new Http1Wire(loop, slot, headRequests));
    }

    @Override
    public void initChannel(Channel ch) {
        // A generator needs the status and where each answer ends, not a decoded response.
        ch.pipeline().addLast(new Reader(new ResponseScanner(headRequests, this::onResponse)));
    }

    @Override
    public String refusal(Channel ch) {
        return null;
    }

    @Override
    public boolean attach(Channel ch) {
        channel = ch;
        closing = false;
        return true;
    }

    @Override
    public void detach() {
        channel = null;
    }

    @Override
    public boolean canSend() {
        return !closing;
    }

    @Override
    public void send(RequestSlot<ByteBuf> slot, long now) {
        slot.sent(now);
        channel.writeAndFlush(slot.request().readerIndex(0), channel.voidPromise());
    }

    @Override
    public void flush() {
        // every send is written and flushed at once: one request per connection is out at a time
    }

    @Override
    public void cancel(RequestSlot<ByteBuf> slot) {
        closing = true; // nothing more on it, also while a TLS close_notify is still being flushed
        channel.close(); // HTTP/1.1 cannot abandon one request and keep the connection
    }

    @Override
    public void freed(RequestSlot<ByteBuf> slot) {
        if (closing && channel != null) { // (a timeout's close may have completed and detached it)
            channel.close(); // the loop opens the next
        }
    }

    private void onResponse(int status, boolean keepAlive) {
        if (slot.inFlight()) {
            closing = !keepAlive;
            loop.answered(slot, status);
        }
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
                ctx.close(); // counted as a read error by the loop
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
