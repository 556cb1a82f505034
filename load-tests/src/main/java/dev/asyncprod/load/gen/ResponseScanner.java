package dev.asyncprod.load.gen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Finds where each HTTP/1.x response ends in the bytes a connection receives, and its status and
 * whether the connection stays open, and nothing else: a load generator needs no header map, so
 * it builds none (as wrk's parser does not). Bodies are skipped as they arrive, by
 * {@code Content-Length}, by chunks, or up to the close when neither is given; responses without a
 * body (to HEAD, 1xx, 204, 304) are recognised. A line may be split across reads. Not thread-safe:
 * one per connection, on its event loop.
 */
final class ResponseScanner {

    /** Told of each whole response. */
    interface Listener {
        void response(int status, boolean keepAlive);
    }

    /** The longest status or header line accepted, as servers' limits go (8 KiB). */
    static final int MAX_LINE = 8192;

    private enum State { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE }

    private final Listener listener;
    private final boolean headRequests;
    private final ByteBuf partial = Unpooled.buffer(256); // a line split across reads, gathered
    private State state = State.STATUS;
    private int status;
    private boolean http10;
    private long contentLength;
    private boolean chunked;
    private boolean closeAfter;
    private boolean keepAliveHeader;
    private long remaining;

    /** @param headRequests the requests are HEAD: their answers carry no body whatever they announce */
    ResponseScanner(boolean headRequests, Listener listener) {
        this.headRequests = headRequests;
        this.listener = listener;
    }

    /**
     * Consumes {@code in} (released by the caller).
     *
     * @throws IllegalStateException for bytes that are not an HTTP/1.x response: the connection is broken
     */
    void scan(ByteBuf in) {
        while (in.isReadable()) {
            switch (state) {
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> nextLine(in);
                case BODY, CHUNK_DATA -> {
                    int skip = (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(skip);
                    remaining -= skip;
                    if (remaining == 0) {
                        if (state == State.BODY) {
                            complete();
                        } else {
                            state = State.CHUNK_END;
                        }
                    }
                }
                case UNTIL_CLOSE -> in.skipBytes(in.readableBytes());
            }
        }
    }

    /** The connection closed: a body that runs to the close is whole now. */
    void closed() {
        if (state == State.UNTIL_CLOSE) {
            closeAfter = true;
            complete();
        }
    }

    /** Reads up to the next LF: a whole line is parsed where it lies; a line cut by the end of a read is gathered first. */
    private void nextLine(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (partial.readableBytes() + in.readableBytes() > MAX_LINE) {
                throw new IllegalStateException("response line longer than " + MAX_LINE + " bytes");
            }
            partial.writeBytes(in);
            return;
        }
        if (partial.isReadable()) {
            partial.writeBytes(in, in.readerIndex(), lf - in.readerIndex());
            in.readerIndex(lf + 1);
            onLine(partial, partial.readerIndex(), trimCr(partial, partial.readerIndex(), partial.writerIndex()));
            partial.clear();
        } else {
            int from = in.readerIndex();
            in.readerIndex(lf + 1);
            onLine(in, from, trimCr(in, from, lf));
        }
    }

    private static int trimCr(ByteBuf b, int from, int to) {
        return to > from && b.getByte(to - 1) == '\r' ? to - 1 : to;
    }

    private void onLine(ByteBuf b, int from, int to) {
        switch (state) {
            case STATUS -> status(b, from, to);
            case HEADERS -> {
                if (from == to) {
                    headersDone();
                } else {
                    header(b, from, to);
                }
            }
            case CHUNK_SIZE -> {
                long size = hexNumber(b, from, to);
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (from != to) {
                    throw new IllegalStateException("chunk not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (from == to) {
                    complete();
                }
            }
            default -> throw new IllegalStateException("line in state " + state);
        }
    }

    /** {@code HTTP/1.1 200 ...} */
    private void status(ByteBuf b, int from, int to) {
        if (to - from < 12 || !startsWith(b, from, "HTTP/1.") || b.getByte(from + 8) != ' ') {
            throw new IllegalStateException("not an HTTP/1.x status line: " + b.toString(from, Math.min(to - from, 60), US_ASCII));
        }
        http10 = b.getByte(from + 7) == '0';
        status = (int) decimal(b, from + 9, from + 12);
        contentLength = -1;
        chunked = false;
        closeAfter = false;
        keepAliveHeader = false;
        state = State.HEADERS;
    }

    private void header(ByteBuf b, int from, int to) {
        int colon = b.indexOf(from, to, (byte) ':');
        if (colon <= from) {
            throw new IllegalStateException("malformed header line: " + b.toString(from, Math.min(to - from, 60), US_ASCII));
        }
        int value = colon + 1;
        while (value < to && (b.getByte(value) == ' ' || b.getByte(value) == '\t')) {
            value++;
        }
        int end = to;
        while (end > value && (b.getByte(end - 1) == ' ' || b.getByte(end - 1) == '\t')) {
            end--;
        }
        int nameLength = colon - from;
        if (nameLength == 14 && equalsIgnoreCase(b, from, "content-length")) {
            contentLength = decimal(b, value, end);
        } else if (nameLength == 17 && equalsIgnoreCase(b, from, "transfer-encoding")) {
            chunked = containsIgnoreCase(b, value, end, "chunked");
        } else if (nameLength == 10 && equalsIgnoreCase(b, from, "connection")) {
            closeAfter |= containsIgnoreCase(b, value, end, "close");
            keepAliveHeader |= containsIgnoreCase(b, value, end, "keep-alive");
        }
    }

    private void headersDone() {
        if (status >= 100 && status < 200) {
            state = State.STATUS; // an interim answer (100 Continue): the real one follows
            return;
        }
        if (http10 && !keepAliveHeader) {
            closeAfter = true;
        }
        if (headRequests || status == 204 || status == 304) {
            complete();
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            remaining = contentLength;
            state = State.BODY;
            if (remaining == 0) {
                complete();
            }
        } else {
            state = State.UNTIL_CLOSE; // RFC 9112 §6.3: no length, not chunked: the body ends with the connection
        }
    }

    private void complete() {
        state = State.STATUS;
        listener.response(status, !closeAfter);
    }

    private static boolean startsWith(ByteBuf b, int from, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (b.getByte(from + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(ByteBuf b, int from, String lowerAscii) {
        for (int i = 0; i < lowerAscii.length(); i++) {
            if ((b.getByte(from + i) | 0x20) != lowerAscii.charAt(i) && b.getByte(from + i) != lowerAscii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(ByteBuf b, int from, int to, String lowerAscii) {
        for (int start = from; start + lowerAscii.length() <= to; start++) {
            if (equalsIgnoreCase(b, start, lowerAscii)) {
                return true;
            }
        }
        return false;
    }

    private static long decimal(ByteBuf b, int from, int to) {
        if (from >= to) {
            throw new IllegalStateException("missing number");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = b.getByte(i) - '0';
            if (d < 0 || d > 9 || n > Long.MAX_VALUE / 10) {
                throw new IllegalStateException("not a number: " + b.toString(from, to - from, US_ASCII));
            }
            n = n * 10 + d;
        }
        return n;
    }

    /** A chunk size: hex digits, up to an extension ({@code ;...}) or the end. */
    private static long hexNumber(ByteBuf b, int from, int to) {
        long n = 0;
        int digits = 0;
        for (int i = from; i < to; i++) {
            int c = b.getByte(i);
            int d = Character.digit(c, 16);
            if (d < 0) {
                if (c == ';' || c == ' ' || c == '\t') {
                    break;
                }
                throw new IllegalStateException("not a chunk size: " + b.toString(from, to - from, US_ASCII));
            }
            if (++digits > 15) {
                throw new IllegalStateException("chunk size too large");
            }
            n = n * 16 + d;
        }
        if (digits == 0) {
            throw new IllegalStateException("missing chunk size");
        }
        return n;
    }
}
