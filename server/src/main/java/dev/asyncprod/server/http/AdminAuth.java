package dev.asyncprod.server.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The admin listener's door: every request must carry {@code Authorization: Bearer TOKEN} when a
 * token is set (RFC 6750); a missing or wrong one is 401 with {@code WWW-Authenticate}, and the
 * request goes no further. The comparison takes the same time however much of the token matches.
 */
public final class AdminAuth implements RequestHandler {

    private final byte[] expected; // "Bearer TOKEN"
    private final RequestHandler next;

    private AdminAuth(String token, RequestHandler next) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
        this.next = next;
    }

    /** {@code next} behind the token, or as it is when {@code token} is null. */
    public static RequestHandler guard(String token, RequestHandler next) {
        return token == null ? next : new AdminAuth(token, next);
    }

    @Override
    public CompletableFuture<Response> handle(Request request, EventLoop eventLoop) {
        String offered = request.headers().get("Authorization");
        if (offered == null || !MessageDigest.isEqual(expected, offered.getBytes(StandardCharsets.US_ASCII))) {
            return CompletableFuture.failedFuture(new HttpError(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                    offered == null ? "this listener wants Authorization: Bearer TOKEN (the server's --admin-token)"
                            : "the bearer token is not this server's --admin-token",
                    Map.of("WWW-Authenticate", "Bearer realm=\"admin\"")));
        }
        return next.handle(request, eventLoop);
    }
}
