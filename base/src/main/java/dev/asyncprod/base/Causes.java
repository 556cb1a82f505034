package dev.asyncprod.base;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Reading an exception's cause chain: the real failure behind a future's wrappers, what one line
 * should say, and whether a kind of failure is in it. One place, so that the server, the client
 * and the load generator read failures alike.
 */
public final class Causes {

    private Causes() {
    }

    /**
     * The failure a future's wrappers hide: {@link CompletionException} (what a later stage of a
     * {@code CompletableFuture} chain wraps a failure in) and {@link ExecutionException} (what
     * {@code Future.get} throws), stripped as long as they carry a cause.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The innermost cause's first message line: what a one-line error or a 503's detail should say. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.lines().findFirst().orElse(message);
    }

    /** Whether the TLS layer failed: a handshake, a certificate, or a record that could not be read. */
    public static boolean isTls(Throwable e) {
        return anyMatch(e, t -> t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException);
    }

    /** Whether {@code e} or any of its causes matches. */
    public static boolean anyMatch(Throwable e, Predicate<Throwable> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }
}
