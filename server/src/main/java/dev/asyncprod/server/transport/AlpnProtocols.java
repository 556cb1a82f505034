package dev.asyncprod.server.transport;

import dev.asyncprod.base.Causes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake, the protocol ALPN settled on: {@code h2}, or HTTP/1.1 (asked for, or a
 * client that offered no ALPN at all). A failed handshake is counted and logged at most once a
 * second with the peer and the reason, so an untrusted certificate is visible on the server too
 * while a scanner cannot flood the log.
 */
final class AlpnProtocols extends ApplicationProtocolNegotiationHandler {

    private static final Logger log = LoggerFactory.getLogger(AlpnProtocols.class);
    private static final OncePerSecond logLimit = new OncePerSecond();

    private final HttpServerInitializer protocols;

    AlpnProtocols(HttpServerInitializer protocols) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.protocols = protocols;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            protocols.http2(ctx.pipeline(), ProtocolMeters.Protocol.H2);
        } else {
            protocols.http1(ctx.pipeline(), false);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        protocols.meters().handshakeFailed();
        long suppressed = logLimit.tryAcquire();
        if (suppressed >= 0) {
            log.info("TLS handshake with {} failed: {}{}", ctx.channel().remoteAddress(), Causes.rootMessage(cause),
                    suppressed > 0 ? " (" + suppressed + " more since the last line)" : "");
        }
        ctx.close();
    }
}
