package dev.asyncprod.server.http;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids: the caller's {@code X-Request-Id} when it is safe to echo and log, else a fresh one. */
public final class RequestIds {

    public static final AsciiString HEADER = AsciiString.cached("X-Request-Id");
    /** Long enough for a UUID or a trace id; short enough that a header cannot bloat every log line. */
    static final int MAX_LENGTH = 64;

    private RequestIds() {
    }

    public static String fromHeaderOrNew(String offered) {
        return offered != null && isValid(offered) ? offered : newId();
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /** 16 hex digits: 64 random bits, unique enough to grep one request out of a day of logs. */
    public static String newId() {
        return hex(ThreadLocalRandom.current().nextLong());
    }

    /** {@code bits} as 16 lower-case hex digits, leading zeros kept. */
    static String hex(long bits) {
        byte[] out = new byte[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** Letters, digits and {@code - _ . :} only: nothing that could forge a log line or a header. */
    static boolean isValid(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
