package dev.asyncprod.server.email.smtp;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * At most {@code limit} SMTP connections, open or being opened, and reuse of idle ones: what
 * Postfix's connection cache does. {@link #acquire} gives an idle session, or the right to open a
 * new connection (null), or a turn in line that holds no thread. The lock guards a few fields
 * for nanoseconds and is never held while a caller's continuation runs.
 */
final class SessionPool {

    private final int limit;
    private final ArrayDeque<SmtpSession> idle = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<SmtpSession>> waiters = new ArrayDeque<>();
    private int open; // connections open or opening, idle ones included

    SessionPool(int limit) {
        this.limit = limit;
    }

    /** An idle session to reuse, or null: the caller may open one connection, counted already. */
    CompletableFuture<SmtpSession> acquire() {
        synchronized (this) {
            SmtpSession session = idle.pollLast(); // the most recently used: least likely timed out by the server
            if (session != null) {
                return CompletableFuture.completedFuture(session);
            }
            if (open < limit) {
                open++;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<SmtpSession> turn = new CompletableFuture<>();
            waiters.addLast(turn);
            return turn;
        }
    }

    /**
     * Gives back what {@link #acquire} gave: the session if it can carry another message, else null
     * (its connection is closed or closing). The next waiter gets it, or the right to open anew.
     */
    void release(SmtpSession reusable) {
        CompletableFuture<SmtpSession> next;
        synchronized (this) {
            next = waiters.pollFirst();
            if (next == null) {
                if (reusable != null) {
                    idle.addLast(reusable);
                } else {
                    open--;
                }
                return;
            }
        }
        next.complete(reusable); // null: the waiter opens a connection in place of the closed one
    }

    /** An idle session's connection closed (the server's idle timeout, say): it no longer counts. */
    void closedWhileIdle(SmtpSession session) {
        synchronized (this) {
            if (idle.remove(session)) {
                open--;
            }
        }
    }

    synchronized int open() {
        return open;
    }

    synchronized int waiting() {
        return waiters.size();
    }
}
