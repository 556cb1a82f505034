package dev.asyncprod.server.http;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: the caller's {@code X-Request-Id} when it is safe to echo and log, else a fresh one. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** Long enough for a UUID or a trace id; short enough that a header cannot bloat every log line. */
    static final int MAX_LENGTH = 64;

    private RequestIds() {
    }

    public static String fromHeaderOrNew(String offered) {
        return offered != null && isValid(offered) ? offered : newId();
    }

    /** 16 hex digits: 64 random bits, unique enough to grep one request out of a day of logs. */
    public static String newId() {
        long bits = ThreadLocalRandom.current().nextLong();
        String hex = Long.toHexString(bits);
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
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
