package dev.asyncprod.server.email.smtp;

import dev.asyncprod.server.config.EmailConfig;
import dev.asyncprod.server.email.MailException;
import dev.asyncprod.server.email.Mailer;
import dev.asyncprod.server.email.OutgoingMessage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking SMTP client on Netty's SMTP codec. Connections are pooled: at most
 * {@code maxConnections} open at once, an idle one reused for the next message (up to
 * {@link SmtpSession#MAX_MESSAGES_PER_CONNECTION}), and messages beyond the limit wait for a turn
 * without a thread. The connect and every reply are bounded by {@code stepTimeout}, which also
 * closes a connection left idle that long.
 */
public final class SmtpMailer implements Mailer {

    /** RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; headroom for servers that stretch it. A whole reply: Netty's 64 KiB. */
    private static final int MAX_REPLY_LINE = 1024;

    private final InetSocketAddress server;
    private final Bootstrap bootstrap;
    private final SessionPool pool;
    private final Duration stepTimeout;
    private final String clientName;

    /**
     * A client for the relay {@code config} names, its host resolved once, here on the starting
     * thread: a lookup per connection would block an event loop.
     *
     * @param loops the server's event loops, where the connections run
     */
    public static SmtpMailer to(EmailConfig config, EventLoopGroup loops, Class<? extends SocketChannel> channelType)
            throws IOException {
        InetSocketAddress relay = new InetSocketAddress(config.smtp().getHostString(), config.smtp().getPort());
        if (relay.isUnresolved()) {
            throw new IOException("cannot resolve the SMTP host '" + config.smtp().getHostString() + "'");
        }
        return new SmtpMailer(relay, loops, channelType, config.smtpConnections(), config.smtpTimeout(), "asyncprod");
    }

    /** @param clientName how this server names itself in EHLO */
    public SmtpMailer(InetSocketAddress server, EventLoopGroup group, Class<? extends SocketChannel> channelType,
                      int maxConnections, Duration stepTimeout, String clientName) {
        this.server = server;
        this.pool = new SessionPool(maxConnections);
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
        pool.acquire().thenAccept(idle -> {
            if (idle != null) {
                idle.send(message, result);
            } else {
                connect(message, result);
            }
        });
        return result;
    }

    /** Opens a connection for {@code message}; the caller holds the pool slot it will occupy. */
    private void connect(OutgoingMessage message, CompletableFuture<Void> result) {
        SmtpSession session = new SmtpSession(clientName, pool, this::connect, message, result);
        try {
            // The session is in the pipeline from the start, so the server's greeting can never arrive before it.
            bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(
                            new ReadTimeoutHandler(stepTimeout.toMillis(), TimeUnit.MILLISECONDS),
                            new SmtpResponseDecoder(MAX_REPLY_LINE),
                            new SmtpRequestEncoder(),
                            session);
                }
            }).connect(server).addListener(connected -> {
                if (!connected.isSuccess()) {
                    session.connectFailed(MailException.transientFailure(
                            "cannot connect to " + describeServer() + ": " + connected.cause().getMessage(), connected.cause()));
                }
            });
        } catch (RuntimeException e) {
            // Never lost: the caller hears of it and the pool slot comes back.
            session.connectFailed(MailException.transientFailure("cannot start an SMTP connection: " + e, e));
        }
    }

    private String describeServer() {
        return server.getHostString() + ":" + server.getPort();
    }


    @Override
    public String describe() {
        return "smtp " + describeServer();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("email_smtp_connections_open", pool, SessionPool::open)
                .description("SMTP connections open, idle ones included").register(registry);
        Gauge.builder("email_smtp_waiting", pool, SessionPool::waiting)
                .description("Messages waiting for an SMTP connection").register(registry);
    }

    @Override
    public void close() {
        // Connections live on the server's event loops and close with them.
    }
}
