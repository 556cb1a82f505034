package dev.asyncprod.server.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer for building log lines without intermediate strings: ASCII is copied
 * byte for byte, anything else encoded as UTF-8, numbers written digit by digit; as an
 * {@link OutputStream}, Jackson's generator writes into it too. Not thread-safe.
 */
final class LineBuffer extends OutputStream {

    private byte[] bytes;
    private int size;

    LineBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    int size() {
        return size;
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the one copy of a string's bytes into ours
    LineBuffer append(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                append(s.substring(0, i));
                appendUtf8(s.substring(i));
                return this;
            }
        }
        // All ASCII, the usual case: one bulk copy, not a store per character (half the writer's samples).
        ensure(n);
        s.getBytes(0, n, bytes, size);
        size += n;
        return this;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /** {@code bits} as 16 lower-case hex digits, leading zeros kept: a trace id's half without making a string of it. */
    LineBuffer appendHex(long bits) {
        ensure(16);
        for (int i = size + 15; i >= size; i--) {
            bytes[i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        size += 16;
        return this;
    }

    LineBuffer append(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
        return this;
    }

    LineBuffer append(long value) {
        if (value < 0) {
            append('-');
            value = -value;
        }
        ensure(20);
        int start = size;
        do {
            bytes[size++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    /** Text a client chose, kept on one line and within quotes: control characters, quotes and backslashes escaped. */
    LineBuffer appendEscaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
                return escapeFrom(s, i);
            }
        }
        return append(s); // the usual case: nothing to escape
    }

    private LineBuffer escapeFrom(String s, int from) {
        append(s.substring(0, from));
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else if (c >= 0x80) {
                appendUtf8(String.valueOf(c));
            } else {
                append(c);
            }
        }
        return this;
    }

    private void appendUtf8(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    void reset() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
