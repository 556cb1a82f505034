package dev.asyncprod.base;

import java.net.URI;

/**
 * What an {@code http} or {@code https} URI means on the wire: the port a connection goes to and
 * the request target sent on the request line. The client reads outgoing URLs with it; the server
 * reads an absolute-form request target (RFC 9112 §3.2.2) with it.
 */
public final class HttpUris {

    private HttpUris() {
    }

    /** The port {@code uri} names, else its scheme's: 443 for {@code https}, 80 otherwise. */
    public static int portOf(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The origin-form request target of {@code uri} (RFC 9112 §3.2.1): its path, {@code /} if empty, and its query. */
    public static String targetOf(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
