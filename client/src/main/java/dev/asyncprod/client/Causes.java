package dev.asyncprod.client;

import java.util.function.Predicate;

/**
 * Reading an exception's cause chain: what one line should say, and whether a kind of failure is
 * in it. Here, in the library every module has, so that the server and the load generator read
 * failures the way the client does.
 */
public final class Causes {

    private Causes() {
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
