package dev.asyncprod.server.email.smtp;

import dev.asyncprod.server.email.MailException;
import dev.asyncprod.server.email.OutgoingMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.smtp.DefaultLastSmtpContent;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.timeout.ReadTimeoutException;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;

/**
 * One message over one SMTP connection (RFC 5321 §3.3): greeting, EHLO (HELO if refused),
 * MAIL FROM, RCPT TO, DATA, the message, QUIT. Each step waits for one reply; a 4xx reply is a
 * transient failure, a 5xx a permanent one. The result completes at the 250 after the data: from
 * then on the server is responsible for the message, and QUIT is only manners.
 */
final class SmtpSession extends SimpleChannelInboundHandler<SmtpResponse> {

    private enum Step { GREETING, EHLO, HELO, MAIL, RCPT, DATA, CONTENT, QUIT }

    private final OutgoingMessage message;
    private final String clientName;
    private final CompletableFuture<Void> result;
    private Step step = Step.GREETING;

    SmtpSession(OutgoingMessage message, String clientName, CompletableFuture<Void> result) {
        this.message = message;
        this.clientName = clientName;
        this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse reply) {
        int code = reply.code();
        switch (step) {
            case GREETING -> expect(ctx, reply, code == 220, Step.EHLO, SmtpRequests.ehlo(clientName));
            case EHLO -> {
                if (code == 500 || code == 502) { // an old server without ESMTP: plain HELO will do
                    send(ctx, Step.HELO, SmtpRequests.helo(clientName));
                } else {
                    expect(ctx, reply, code == 250, Step.MAIL, SmtpRequests.mail(message.from()));
                }
            }
            case HELO -> expect(ctx, reply, code == 250, Step.MAIL, SmtpRequests.mail(message.from()));
            case MAIL -> expect(ctx, reply, code == 250, Step.RCPT, SmtpRequests.rcpt(message.to()));
            case RCPT -> expect(ctx, reply, code == 250 || code == 251, Step.DATA, SmtpRequests.data());
            case DATA -> {
                if (code != 354) {
                    fail(ctx, reply);
                    return;
                }
                step = Step.CONTENT;
                ctx.writeAndFlush(new DefaultLastSmtpContent(Unpooled.wrappedBuffer(message.render(ZonedDateTime.now()))));
            }
            case CONTENT -> {
                if (code != 250) {
                    fail(ctx, reply);
                    return;
                }
                result.complete(null);
                step = Step.QUIT;
                ctx.writeAndFlush(SmtpRequests.quit()).addListener(ChannelFutureListener.CLOSE);
            }
            case QUIT -> ctx.close();
        }
    }

    private void expect(ChannelHandlerContext ctx, SmtpResponse reply, boolean ok, Step next, SmtpRequest request) {
        if (ok) {
            send(ctx, next, request);
        } else {
            fail(ctx, reply);
        }
    }

    private void send(ChannelHandlerContext ctx, Step next, SmtpRequest request) {
        step = next;
        ctx.writeAndFlush(request);
    }

    private void fail(ChannelHandlerContext ctx, SmtpResponse reply) {
        String text = reply.code() + " " + String.join(" ", reply.details()) + " (after " + stepName() + ")";
        // RFC 5321 §4.2.1: 4yz is a transient negative reply, 5yz a permanent one.
        result.completeExceptionally(reply.code() / 100 == 5
                ? MailException.permanentFailure(text) : MailException.transientFailure(text));
        ctx.writeAndFlush(SmtpRequests.quit()).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        result.completeExceptionally(MailException.transientFailure("connection closed by the server during " + stepName()));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String why = cause instanceof ReadTimeoutException ? "no reply in time" : cause.toString();
        result.completeExceptionally(MailException.transientFailure(why + " during " + stepName(), cause));
        ctx.close();
    }

    private String stepName() {
        return step == Step.GREETING ? "the greeting" : step.name();
    }
}
