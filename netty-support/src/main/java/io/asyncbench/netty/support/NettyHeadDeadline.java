package io.asyncbench.netty.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The head deadline ({@code Limits.headDeadline}) and the count of blank lines before a request
 * line (which the codec skips without counting), in front of the HTTP codec, where the bytes are
 * still bytes: a read that arrives while no request is under way starts a head, and the handler
 * behind the codec ends it when the codec decodes that head ({@link #headEnded}) and frees the
 * line for the next one when the request's last content arrives ({@link #requestEnded}).
 *
 * <p>Lazy like IdleStateHandler: the clock is read and a check scheduled only when a read ends
 * with a head still unfinished, one check per connection at a time, re-armed when it fires early.
 * Whole requests in one read, the usual case, cost two field writes. An overdue head fires
 * {@link #OVERDUE} down the pipeline; the handler behind the codec answers 408.
 *
 * <p>Blank lines at the start of a head are counted where a read begins with one (a look at one
 * byte otherwise); reaching {@code maxHeaderBytes} fires {@link #TOO_MANY_BLANK_LINES} instead of
 * passing the bytes on, and the handler behind the codec answers 431, as the shared parser does.
 *
 * <p>The codec does not say where within a read one request ends and the next begins, so a head
 * that begins in the same read as the end of the request before it is timed from the next read,
 * and blank lines in the middle of a read are not counted (at most one read of them).
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

    /** What HttpObjectDecoder skips before a request line (and the api parser with it). */
    private static final ByteProcessor SKIPPED_BEFORE_REQUEST_LINE = NettyHeadDeadline::isSkippedBeforeRequestLine;

    private final long deadlineNanos;
    private final int maxHeaderBytes;
    /** Line breaks before the request line of the head under way, and whether only those came yet. */
    private int blankBytes;
    private boolean blankSoFar;
    private ChannelHandlerContext ctx;
    private boolean headOpen;
    private boolean inBody;
    private boolean stopped;
    private boolean openedThisRead;
    private long headStartedAt;
    private ScheduledFuture<?> check;

    public NettyHeadDeadline(long deadlineNanos, int maxHeaderBytes) {
        this.deadlineNanos = deadlineNanos;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!stopped && !inBody && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            if (!headOpen) {
                headOpen = true;
                openedThisRead = true;
                blankSoFar = true;
                blankBytes = 0;
            }
            if (blankSoFar && !countBlankLines(bytes)) {
                bytes.release();
                ctx.fireUserEventTriggered(TOO_MANY_BLANK_LINES);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isSkippedBeforeRequestLine(byte b) {
        return (b & 0xff) <= ' ' || b == 0x7f;
    }

    /**
     * Counts the bytes before a request line this read begins with (line breaks, and like the
     * codec, which skips them, any whitespace or control character); false once they reach the
     * header limit.
     */
    private boolean countBlankLines(ByteBuf bytes) {
        if (!isSkippedBeforeRequestLine(bytes.getByte(bytes.readerIndex()))) {
            blankSoFar = false;
            return true;
        }
        int end = bytes.forEachByte(SKIPPED_BEFORE_REQUEST_LINE);
        blankSoFar = end < 0;
        blankBytes += (end < 0 ? bytes.writerIndex() : end) - bytes.readerIndex();
        return blankBytes < maxHeaderBytes;
    }

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        if (openedThisRead) {
            openedThisRead = false;
            if (headOpen) {
                headStartedAt = System.nanoTime();
                arm(deadlineNanos);
            }
        }
        ctx.fireChannelReadComplete();
    }

    /**
     * The codec decoded a request head: its body, if any, is not on this clock. Returns the line
     * breaks counted before it, which count toward the header limit.
     */
    public final int headEnded() {
        headOpen = false;
        inBody = true;
        int blank = blankBytes;
        blankBytes = 0;
        return blank;
    }

    /** The request's last content: the next byte begins a head. */
    public final void requestEnded() {
        inBody = false;
    }

    /** The line was busy answering when the head fell due: give the head its full time again. */
    public final void restart() {
        if (headOpen) {
            headStartedAt = System.nanoTime();
            arm(deadlineNanos);
        }
    }

    /** Nothing more is read as requests (the connection is closing): no head is timed from now on. */
    public final void stop() {
        stopped = true;
        headOpen = false;
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
