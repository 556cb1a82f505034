package dev.asyncprod.server.support;

import java.io.IOException;
import java.io.OutputStream;

/** Writes to two streams: what a test captures still shows in its output. The second is written under its own lock. */
public final class TeeOutputStream extends OutputStream {

    private final OutputStream first;
    private final OutputStream second;

    public TeeOutputStream(OutputStream first, OutputStream second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
        first.write(b);
        synchronized (second) {
            second.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        first.write(b, off, len);
        synchronized (second) {
            second.write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        first.flush();
    }
}
