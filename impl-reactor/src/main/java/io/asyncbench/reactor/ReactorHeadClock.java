package io.asyncbench.reactor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.asyncbench.api.ServerCounters;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import java.util.function.BooleanSupplier;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * In front of the codec, on the bytes: times each request head from its first byte (the head
 * deadline, which reactor-netty has no setting for: its {@code readTimeout} and
 * {@code requestTimeout} start only once a head is decoded) and counts the line breaks the codec
 * skips before a request line, which count toward the header limit. It tells the
 * {@link ReactorRequestGate} behind the codec by a user event; one lazy timer per connection,
 * never one per read.
 *
 * <p>It also counts an idle timeout as the connection's error: reactor-netty's
 * IdleTimeoutHandler, just behind the codec, closes from there, so the close passes here and no
 * later handler hears of it before the connection is gone.
 */
final class ReactorHeadClock extends ChannelDuplexHandler {

    private static final Exception IDLE = new java.util.concurrent.TimeoutException("idle timeout");

    static final String NAME = "asyncbench.head";

    /** The user event: the head under way is overdue. */
    static final Object OVERDUE = new Object() {
        @Override
        public String toString() {
            return "request head overdue";
        }
    };

    /** The user event: blank lines before a request line reached the header limit. */
    static final Object TOO_MANY_BLANK_LINES = new Object() {
        @Override
        public String toString() {
            return "blank lines before a request line exceed the header limit";
        }
    };

    /** What HttpObjectDecoder skips before a request line. */
    private static final ByteProcessor SKIPPED = b -> (b & 0xff) <= ' ' || b == 0x7f;

    private final long deadlineNanos;
    private final int maxHeaderBytes;
    private ChannelHandlerContext ctx;
    private int blankBytes;
    private boolean blankSoFar;
    private boolean headOpen;
    private boolean inBody;
    private boolean stopped;
    private long headStartedAt;
    private ScheduledFuture<?> check;

    private final ServerCounters counters;
    private final BooleanSupplier serverClosing;

    ReactorHeadClock(long deadlineNanos, int maxHeaderBytes, ServerCounters counters, BooleanSupplier serverClosing) {
        this.deadlineNanos = deadlineNanos;
        this.maxHeaderBytes = maxHeaderBytes;
        this.counters = counters;
        this.serverClosing = serverClosing;
    }

    /**
     * A close from behind the codec that no closing answer asked for (the gate turns those into
     * a lingering close, which does not pass here): an idle timeout, or the end of a connection
     * that failed, which is counted once either way.
     */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (ctx.channel().isActive() && !serverClosing.getAsBoolean()) {
            ReactorConnections.ErrorCounter.count(ctx.channel(), IDLE, counters);
        }
        ctx.close(promise);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!stopped && !inBody && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            if (!headOpen) {
                headOpen = true;
                blankSoFar = true;
                blankBytes = 0;
                headStartedAt = System.nanoTime();
                arm(deadlineNanos);
            }
            if (blankSoFar) {
                int end = bytes.forEachByte(SKIPPED);
                blankSoFar = end < 0;
                blankBytes += (end < 0 ? bytes.writerIndex() : end) - bytes.readerIndex();
                if (blankBytes >= maxHeaderBytes) {
                    bytes.release();
                    ctx.fireUserEventTriggered(TOO_MANY_BLANK_LINES);
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The codec decoded a head: its body is not on this clock. Returns the blank bytes before it. */
    int headEnded() {
        headOpen = false;
        inBody = true;
        int blank = blankBytes;
        blankBytes = 0;
        return blank;
    }

    /** The request's last content: the next byte begins a head. */
    void requestEnded() {
        inBody = false;
    }

    /** The line was busy with our answers when the head fell due: it gets its full time again. */
    void restart() {
        if (headOpen) {
            headStartedAt = System.nanoTime();
            arm(deadlineNanos);
        }
    }

    /** Nothing more is read as requests (the connection is closing). */
    void stop() {
        stopped = true;
        headOpen = false;
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
