package dev.asyncprod.load.gen;

import dev.asyncprod.base.Causes;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Consumer;

/**
 * A connection is ready to carry requests once TCP is up and, with TLS, its handshake is done: the
 * handshake's failure is a connect-phase failure with a reason (an untrusted certificate, a wrong
 * host name), not a read error on the first request.
 */
final class Handshake {

    private Handshake() {
    }

    /** Calls {@code then} on the channel's loop with null when ready, or with why the handshake failed. */
    static void whenReady(Channel channel, Consumer<String> then) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            then.accept(null);
            return;
        }
        tls.handshakeFuture().addListener(h -> then.accept(h.isSuccess() ? null : Causes.rootMessage(h.cause())));
    }
}
