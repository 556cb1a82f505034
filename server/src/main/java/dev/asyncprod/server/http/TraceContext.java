package dev.asyncprod.server.http;

import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request's place in a distributed trace, in W3C Trace Context's terms
 * (https://www.w3.org/TR/trace-context/): the trace it belongs to, its own span, and the span
 * that called it. Accepted from a valid {@code traceparent} header, else a new trace is begun.
 * Child tasks and downstream calls are {@link #child() child spans}; a call sends
 * {@link #traceparent()} on, so the next service's logs join the same trace.
 *
 * <p>The ids are kept as numbers and written as hex only when asked for: most requests' trace ids
 * are written once, by the access log on its own thread, not on the event loop.
 */
public final class TraceContext {

    public static final AsciiString HEADER = AsciiString.cached("traceparent");
    private static final String VERSION = "00";
    private static final int SAMPLED = 0x01;

    private final long traceHigh;
    private final long traceLow;
    private final long span;
    private final long parentSpan; // 0: this span began the trace
    private final int flags;
    private String traceHex; // formatted once, when first asked for; a race only formats it twice
    private String spanHex;

    private TraceContext(long traceHigh, long traceLow, long span, long parentSpan, int flags) {
        this.traceHigh = traceHigh;
        this.traceLow = traceLow;
        this.span = span;
        this.parentSpan = parentSpan;
        this.flags = flags;
    }

    /** The caller's context continued in a new span of this server, or a new trace if {@code header} is absent or invalid. */
    public static TraceContext fromHeaderOrNew(String header) {
        if (header != null && isValid(header)) {
            // version-traceid-parentid-flags; a future version may append fields, which we ignore (spec section 4.3)
            return new TraceContext(Long.parseUnsignedLong(header, 3, 19, 16), Long.parseUnsignedLong(header, 19, 35, 16),
                    nonZero(), Long.parseUnsignedLong(header, 36, 52, 16), Integer.parseInt(header, 53, 55, 16));
        }
        return new TraceContext(nonZero(), nonZero(), nonZero(), 0, SAMPLED);
    }

    /** A new span of the same trace, called from this one. */
    public TraceContext child() {
        return new TraceContext(traceHigh, traceLow, nonZero(), span, flags);
    }

    /** 32 lower-case hex digits. */
    public String traceId() {
        String hex = traceHex;
        if (hex == null) {
            hex = hex(traceHigh) + hex(traceLow);
            traceHex = hex;
        }
        return hex;
    }

    /** The trace id's first 64 bits: {@link #traceId()} is their hex, then {@link #traceIdLow()}'s. */
    public long traceIdHigh() {
        return traceHigh;
    }

    /** The trace id's last 64 bits. */
    public long traceIdLow() {
        return traceLow;
    }

    /** This span's 16 hex digits. */
    public String spanId() {
        String hex = spanHex;
        if (hex == null) {
            hex = hex(span);
            spanHex = hex;
        }
        return hex;
    }

    /** The caller's span, or null when this span began the trace. */
    public String parentSpanId() {
        return parentSpan == 0 ? null : hex(parentSpan);
    }

    /** The header that carries this span to the service it calls. */
    public String traceparent() {
        return VERSION + "-" + traceId() + "-" + spanId() + "-" + (flags < 0x10 ? "0" : "") + Integer.toHexString(flags);
    }

    /** Section 3.2: version "00" is exactly 55 characters; ids are lower-case hex and not all zeros; "ff" is no version. */
    static boolean isValid(String h) {
        if (h.length() < 55 || (h.length() > 55 && (h.startsWith(VERSION) || h.charAt(55) != '-'))) {
            return false;
        }
        if (h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-' || h.startsWith("ff")) {
            return false;
        }
        return hex(h, 0, 2) && hex(h, 3, 35) && hex(h, 36, 52) && hex(h, 53, 55) && !zeros(h, 3, 35) && !zeros(h, 36, 52);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static long nonZero() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    private static String hex(long bits) {
        return RequestIds.hex(bits);
    }
}
