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
 * One SMTP connection (RFC 5321 §3.3): greeting and EHLO (HELO if refused) once, then one mail
 * transaction after another (MAIL FROM, RCPT TO, DATA, the message), each waiting for its reply. A
 * 4xx reply is a transient failure, a 5xx a permanent one; either ends the connection. A
 * transaction's result completes at the 250 after the data, when the server has taken the message.
 *
 * <p>Between transactions the session waits in the {@link SessionPool}. It is handed back there
 * before its result completes, so whoever waits next can have it. Runs on its channel's event loop.
 */
final class SmtpSession extends SimpleChannelInboundHandler<SmtpResponse> {

    /** Messages per connection before it is closed and a fresh one opened: spreads load over the relay's processes. */
    static final int MAX_MESSAGES_PER_CONNECTION = 100;

    private enum Step { GREETING, EHLO, HELO, IDLE, MAIL, RCPT, DATA, CONTENT, CLOSED }

    /** Opens a new connection for a message whose reused session turned out to be closed. */
    interface Reconnect {
        void deliver(OutgoingMessage message, CompletableFuture<Void> result);
    }

    private final String clientName;
    private final SessionPool pool;
    private final Reconnect reconnect;
    private ChannelHandlerContext ctx;
    private Step step = Step.GREETING;
    private OutgoingMessage message; // the transaction in progress, or null
    private CompletableFuture<Void> result;
    private int sent;

    SmtpSession(String clientName, SessionPool pool, Reconnect reconnect, OutgoingMessage first,
                CompletableFuture<Void> firstResult) {
        this.clientName = clientName;
        this.pool = pool;
        this.reconnect = reconnect;
        this.message = first;
        this.result = firstResult;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts the next message on this idle session. Callable from any thread. */
    void send(OutgoingMessage next, CompletableFuture<Void> nextResult) {
        ctx.executor().execute(() -> {
            if (step != Step.IDLE || !ctx.channel().isActive()) {
                step = Step.CLOSED;
                reconnect.deliver(next, nextResult); // the pool slot passes to the new connection
                return;
            }
            message = next;
            result = nextResult;
            write(Step.MAIL, SmtpRequests.mail(message.from()));
        });
    }

    /** The connection could not be made: the transaction fails, the slot is free again. */
    void connectFailed(MailException failure) {
        end(failure);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SmtpResponse reply) {
        int code = reply.code();
        switch (step) {
            case GREETING -> expect(reply, code == 220, Step.EHLO, SmtpRequests.ehlo(clientName));
            case EHLO -> {
                if (code == 500 || code == 502) { // an old server without ESMTP: plain HELO will do
                    write(Step.HELO, SmtpRequests.helo(clientName));
                } else {
                    expect(reply, code == 250, Step.MAIL, SmtpRequests.mail(message.from()));
                }
            }
            case HELO -> expect(reply, code == 250, Step.MAIL, SmtpRequests.mail(message.from()));
            case MAIL -> expect(reply, code == 250, Step.RCPT, SmtpRequests.rcpt(message.to()));
            case RCPT -> expect(reply, code == 250 || code == 251, Step.DATA, SmtpRequests.data());
            case DATA -> {
                if (code != 354) {
                    fail(reply);
                    return;
                }
                step = Step.CONTENT;
                ctx.writeAndFlush(new DefaultLastSmtpContent(Unpooled.wrappedBuffer(message.render(ZonedDateTime.now()))));
            }
            case CONTENT -> {
                if (code != 250) {
                    fail(reply);
                    return;
                }
                sent++;
                end(null);
            }
            case IDLE, CLOSED -> quit(); // e.g. 421: the server is closing an idle connection
        }
    }

    private void expect(SmtpResponse reply, boolean ok, Step next, SmtpRequest request) {
        if (ok) {
            write(next, request);
        } else {
            fail(reply);
        }
    }

    private void write(Step next, SmtpRequest request) {
        step = next;
        ctx.writeAndFlush(request);
    }

    private void fail(SmtpResponse reply) {
        String text = reply.code() + " " + String.join(" ", reply.details()) + " (after " + stepName() + ")";
        // RFC 5321 §4.2.1: 4yz is a transient negative reply, 5yz a permanent one.
        end(reply.code() / 100 == 5 ? MailException.permanentFailure(text) : MailException.transientFailure(text));
    }

    /**
     * Ends the transaction in progress (once): a delivered message leaves the session idle in the
     * pool, unless it has carried its share; a failure closes it. The pool hears first, the caller after.
     */
    private void end(MailException failure) {
        CompletableFuture<Void> done = result;
        if (done == null) {
            return;
        }
        message = null;
        result = null;
        boolean keep = failure == null && sent < MAX_MESSAGES_PER_CONNECTION && ctx != null && ctx.channel().isActive();
        if (keep) {
            step = Step.IDLE;
            pool.release(this);
        } else {
            quit();
            pool.release(null);
        }
        if (failure == null) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }

    private void quit() {
        step = Step.CLOSED;
        if (ctx != null && ctx.channel().isActive()) {
            ctx.writeAndFlush(SmtpRequests.quit()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (result != null) {
            end(MailException.transientFailure("connection closed by the server during " + stepName()));
        } else {
            pool.closedWhileIdle(this); // a no-op unless it was waiting in the pool
        }
        step = Step.CLOSED;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (result == null) {
            ctx.close(); // idle for longer than the timeout, or a fault between messages: close quietly
            return;
        }
        String why = cause instanceof ReadTimeoutException ? "no reply in time" : cause.toString();
        MailException failure = MailException.transientFailure(why + " during " + stepName(), cause);
        end(failure);
        ctx.close();
    }

    private String stepName() {
        return step == Step.GREETING ? "the greeting" : step.name();
    }
}
