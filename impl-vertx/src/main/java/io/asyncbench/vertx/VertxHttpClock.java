package io.asyncbench.vertx;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One lazy timer per HTTP connection for its two clocks, in front of the decoder where the bytes
 * are still bytes: the idle timeout (nothing read and nothing answered for the timeout, no request
 * in progress) and the head deadline (a request head whole within the deadline of its first
 * byte). Vert.x's own idle timeout counts written bytes as activity and knows nothing of requests
 * in progress, and it has no head deadline.
 *
 * <p>Lazy like Netty's IdleStateHandler: a read notes the time at its end; the check is scheduled
 * once, re-armed when it fires early, and brought forward only when a head stays unfinished at
 * the end of a read. A read that opens a head while none is under way starts its clock; the
 * decoder ends it ({@link #headEnded}) and frees the line for the next head at the request's last
 * content ({@link #requestEnded}). Blank lines before a request line (which the decoder skips
 * without counting) are counted where a read begins with them; reaching the header limit there
 * refuses the connection (431) without passing them on.
 */
final class VertxHttpClock extends ChannelInboundHandlerAdapter {

    /** What Netty's decoder skips before a request line. */
    private static final ByteProcessor SKIPPED_BEFORE_REQUEST_LINE = b -> (b & 0xff) <= ' ' || b == 0x7f;

    private final VertxHttpServer.Connection connection;
    private final long idleNanos;
    private final long headNanos;
    private final int maxHeaderBytes;
    private ChannelHandlerContext ctx;

    private long lastActive;
    private boolean headOpen;
    private boolean openedThisRead;
    private boolean inBody;
    private long headStartedAt;
    private int blankBytes;
    private boolean blankSoFar;

    private ScheduledFuture<?> check;
    private long checkAt;

    VertxHttpClock(VertxHttpServer.Connection connection, long idleNanos, long headNanos, int maxHeaderBytes) {
        this.connection = connection;
        this.idleNanos = idleNanos;
        this.headNanos = headNanos;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastActive = System.nanoTime();
        arm(lastActive + idleNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!inBody && msg instanceof ByteBuf bytes && bytes.isReadable()) {
            if (!headOpen) {
                headOpen = true;
                openedThisRead = true;
                blankSoFar = true;
                blankBytes = 0;
            }
            if (blankSoFar && !countBlankLines(bytes)) {
                bytes.release();
                connection.tooManyBlankLines();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Counts the bytes a read begins with that the decoder skips; false once they reach the limit. */
    private boolean countBlankLines(ByteBuf bytes) {
        int end = bytes.forEachByte(SKIPPED_BEFORE_REQUEST_LINE);
        blankSoFar = end < 0;
        blankBytes += (end < 0 ? bytes.writerIndex() : end) - bytes.readerIndex();
        return blankBytes < maxHeaderBytes;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        lastActive = now;
        if (openedThisRead) {
            openedThisRead = false;
            if (headOpen) {
                headStartedAt = now;
                arm(now + headNanos);
            }
        }
        ctx.fireChannelReadComplete();
    }

    /** An answer went out: the connection was not idle. */
    void answered() {
        lastActive = System.nanoTime();
    }

    /** The decoder decoded a head; returns the blank-line bytes counted before it. */
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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelInactive();
    }

    /** Makes sure a check runs no later than {@code at}. */
    private void arm(long at) {
        if (check != null) {
            if (at - checkAt >= 0) {
                return;
            }
            check.cancel(false);
        }
        checkAt = at;
        check = ctx.executor().schedule(this::fire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        check = null;
        if (!ctx.channel().isActive() || connection.closing()) {
            return;
        }
        long now = System.nanoTime();
        if (headOpen && now - (headStartedAt + headNanos) >= 0 && !openedThisRead) {
            if (connection.busy()) {
                headStartedAt = now; // the line is busy with our answers, not held by the client
            } else {
                connection.headOverdue();
                return;
            }
        }
        long idleAt = lastActive + idleNanos;
        if (now - idleAt >= 0 && !headOpen) {
            if (connection.busy()) {
                lastActive = now; // a request in progress is not idle
            } else {
                connection.idle();
                return;
            }
        } else if (now - idleAt >= 0 && headOpen) {
            connection.idle(); // a half-sent head past the idle timeout: a slowloris
            return;
        }
        long next = lastActive + idleNanos;
        if (headOpen && headStartedAt + headNanos - next < 0) {
            next = headStartedAt + headNanos;
        }
        arm(next);
    }
}
