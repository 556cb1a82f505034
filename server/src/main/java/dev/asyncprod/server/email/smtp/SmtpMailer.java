package dev.asyncprod.server.email.smtp;

import dev.asyncprod.server.email.MailException;
import dev.asyncprod.server.email.Mailer;
import dev.asyncprod.server.email.OutgoingMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking SMTP client on Netty's SMTP codec: one connection per message, at most
 * {@code maxConnections} open at once (the rest wait for a turn without a thread), connect and
 * every reply bounded by {@code stepTimeout}.
 */
public final class SmtpMailer implements Mailer {

    /** RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; headroom for servers that stretch it. A whole reply: Netty's 64 KiB. */
    private static final int MAX_REPLY_LINE = 1024;

    private final InetSocketAddress server;
    private final Bootstrap bootstrap;
    private final ConnectionLimiter connections;
    private final Duration stepTimeout;
    private final String clientName;

    /** @param clientName how this server names itself in EHLO */
    public SmtpMailer(InetSocketAddress server, EventLoopGroup group, Class<? extends SocketChannel> channelType,
                      int maxConnections, Duration stepTimeout, String clientName) {
        this.server = server;
        this.connections = new ConnectionLimiter(maxConnections);
        this.stepTimeout = stepTimeout;
        this.clientName = clientName;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, stepTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true);
    }

    @Override
    public CompletableFuture<Void> send(OutgoingMessage message) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        connections.acquire().thenRun(() -> converse(message, result));
        result.whenComplete((ok, failure) -> connections.release());
        return result;
    }

    private void converse(OutgoingMessage message, CompletableFuture<Void> result) {
        // The session is in the pipeline from the start, so the server's greeting can never arrive before it.
        Bootstrap oneMessage = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(
                        new ReadTimeoutHandler(stepTimeout.toMillis(), TimeUnit.MILLISECONDS),
                        new SmtpResponseDecoder(MAX_REPLY_LINE),
                        new SmtpRequestEncoder(),
                        new SmtpSession(message, clientName, result));
            }
        });
        oneMessage.connect(server).addListener(connected -> {
            if (!connected.isSuccess()) {
                result.completeExceptionally(MailException.transientFailure(
                        "cannot connect to " + describeServer() + ": " + connected.cause().getMessage(), connected.cause()));
            }
        });
    }

    private String describeServer() {
        return server.getHostString() + ":" + server.getPort();
    }

    /** Connections open now. */
    public int connectionsInUse() {
        return connections.inUse();
    }

    /** Messages waiting for a connection. */
    public int waiting() {
        return connections.waiting();
    }

    @Override
    public String describe() {
        return "smtp " + describeServer();
    }

    @Override
    public void close() {
        // Connections live for one message on the server's event loops; nothing of its own to close.
    }
}
