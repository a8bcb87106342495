package io.asyncbench.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The head deadline ({@code Limits.headDeadline}), in front of the HTTP codec, where the bytes are
 * still bytes: a read that arrives while no request is under way starts a head, and the handler
 * behind the codec ends it when the codec decodes that head ({@link #headEnded}) and frees the
 * line for the next one when the request's last content arrives ({@link #requestEnded}).
 *
 * <p>Lazy like IdleStateHandler: the clock is read and a check scheduled only when a read ends
 * with a head still unfinished, one check per connection at a time, re-armed when it fires early.
 * Whole requests in one read, the usual case, cost two field writes. An overdue head fires
 * {@link #OVERDUE} down the pipeline; the handler behind the codec answers 408.
 *
 * <p>The codec does not say where within a read one request ends and the next begins, so a head
 * that begins in the same read as the end of the request before it is timed from the next read.
 */
final class NettyHeadDeadline extends ChannelInboundHandlerAdapter {

    /** The user event: the head under way is overdue. */
    static final Object OVERDUE = new Object() {
        @Override
        public String toString() {
            return "request head overdue";
        }
    };

    private final long deadlineNanos;
    private ChannelHandlerContext ctx;
    private boolean headOpen;
    private boolean inBody;
    private boolean openedThisRead;
    private long headStartedAt;
    private ScheduledFuture<?> check;

    NettyHeadDeadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!headOpen && !inBody && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            headOpen = true;
            openedThisRead = true;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (openedThisRead) {
            openedThisRead = false;
            if (headOpen) {
                headStartedAt = System.nanoTime();
                arm(deadlineNanos);
            }
        }
        ctx.fireChannelReadComplete();
    }

    /** The codec decoded a request head: its body, if any, is not on this clock. */
    void headEnded() {
        headOpen = false;
        inBody = true;
    }

    /** The request's last content: the next byte begins a head. */
    void requestEnded() {
        inBody = false;
    }

    /** The line was busy answering when the head fell due: give the head its full time again. */
    void restart() {
        if (headOpen) {
            headStartedAt = System.nanoTime();
            arm(deadlineNanos);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelInactive();
    }

    private void arm(long delayNanos) {
        if (check == null) {
            check = ctx.executor().schedule(this::fire, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void fire() {
        check = null;
        if (!headOpen || !ctx.channel().isActive()) {
            return;
        }
        long left = headStartedAt + deadlineNanos - System.nanoTime();
        if (left > 0) {
            arm(left); // a later head than the one this check was armed for
        } else {
            ctx.fireUserEventTriggered(OVERDUE);
        }
    }
}
