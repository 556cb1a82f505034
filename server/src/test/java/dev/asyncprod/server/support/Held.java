package dev.asyncprod.server.support;

/**
 * Something outside the server that holds its answers until {@link #release}, so a test can read
 * the task view while the server waits on it. {@link #close} releases too, then lets go of its socket.
 */
public interface Held extends AutoCloseable {

    /** Answers what is held, and everything after it at once. */
    void release();

    @Override
    void close();
}
