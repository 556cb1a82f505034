package dev.asyncprod.server.http;

import java.util.List;

/**
 * A tiny JSON object writer for the service's flat, known-shape responses.
 * Writing is all the server needs; a full JSON library would not earn its place yet.
 */
public final class Json {

    private final StringBuilder out = new StringBuilder(64).append('{');
    private boolean empty = true;

    private Json() {
    }

    public static Json object() {
        return new Json();
    }

    public Json put(String key, String value) {
        key(key);
        if (value == null) {
            out.append("null");
        } else {
            quote(out, value);
        }
        return this;
    }

    public Json put(String key, long value) {
        key(key);
        out.append(value);
        return this;
    }

    public Json put(String key, boolean value) {
        key(key);
        out.append(value);
        return this;
    }

    /** Puts an already-serialised JSON value (an object or an array built with this class). */
    public Json putRaw(String key, String json) {
        key(key);
        out.append(json);
        return this;
    }

    public Json putArray(String key, List<String> jsonValues) {
        return putRaw(key, array(jsonValues));
    }

    public static String array(List<String> jsonValues) {
        return "[" + String.join(",", jsonValues) + "]";
    }

    private void key(String key) {
        if (!empty) {
            out.append(',');
        }
        empty = false;
        quote(out, key);
        out.append(':');
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return out + "}";
    }
}
