package io.asyncbench.netty.support;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The head deadline ({@code Limits.headDeadline}) and the count of blank lines before a request
 * line, in front of the HTTP codec: where heads start is {@link NettyHeadStart}'s bookkeeping,
 * and the handler behind the codec tells it where they end ({@link #headEnded},
 * {@link #requestEnded}).
 *
 * <p>Lazy like IdleStateHandler: the clock is read and a check scheduled only when a read ends
 * with a head still unfinished, one check per connection at a time, re-armed when it fires early.
 * Whole requests in one read, the usual case, cost two field writes. An overdue head fires
 * {@link #OVERDUE} down the pipeline; the handler behind the codec answers 408 (or
 * {@link #restart}s the head when the line was busy with its answers). Blank lines that reach
 * {@code maxHeaderBytes} fire {@link #TOO_MANY_BLANK_LINES} instead of passing the bytes on, and
 * the handler behind the codec answers 431, as the shared parser does.
 *
 * <p>A duplex handler only so that a strategy can also watch closes from here (reactor-netty's idle
 * timeout closes from just behind the codec); the outbound operations it does not override are
 * skipped by the pipeline, at no cost.
 */
public class NettyHeadDeadline extends ChannelDuplexHandler {

    /** The user event: the head under way is overdue. */
    public static final Object OVERDUE = new Object() {
        @Override
        public String toString() {
            return "request head overdue";
        }
    };

    /** The user event: blank lines before a request line reached maxHeaderBytes. */
    public static final Object TOO_MANY_BLANK_LINES = new Object() {
        @Override
        public String toString() {
            return "blank lines before a request line exceed the header limit";
        }
    };

    private final long deadlineNanos;
    private final NettyHeadStart heads;
    private ChannelHandlerContext ctx;
    private long headStartedAt;
    private ScheduledFuture<?> check;

    public NettyHeadDeadline(long deadlineNanos, int maxHeaderBytes) {
        this.deadlineNanos = deadlineNanos;
        this.heads = new NettyHeadStart(maxHeaderBytes);
    }

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (heads.read(msg)) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.fireUserEventTriggered(TOO_MANY_BLANK_LINES);
        }
    }

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        if (heads.readComplete()) {
            headStartedAt = System.nanoTime();
            arm(deadlineNanos);
        }
        ctx.fireChannelReadComplete();
    }

    /** See {@link NettyHeadStart#headEnded}. */
    public final int headEnded() {
        return heads.headEnded();
    }

    /** The request's last content: the next byte begins a head. */
    public final void requestEnded() {
        heads.requestEnded();
    }

    /** The line was busy answering when the head fell due: give the head its full time again. */
    public final void restart() {
        if (heads.headOpen()) {
            headStartedAt = System.nanoTime();
            arm(deadlineNanos);
        }
    }

    /** Nothing more is read as requests (the connection is closing): no head is timed from now on. */
    public final void stop() {
        heads.stop();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
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
        if (!heads.headOpen() || !ctx.channel().isActive()) {
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
