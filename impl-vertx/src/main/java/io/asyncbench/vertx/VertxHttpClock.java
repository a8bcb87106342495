package io.asyncbench.vertx;

import io.asyncbench.netty.support.NettyHeadStart;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
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
 * the end of a read. Where heads start, and the blank lines before them, is
 * {@link NettyHeadStart}'s bookkeeping; the decoder ends a
 * head ({@link #headEnded}) and frees the line for the next at the request's last content
 * ({@link #requestEnded}). Blank lines that reach the header limit refuse the connection (431)
 * without being passed on. One timer for both clocks, not IdleStateHandler beside
 * NettyHeadDeadline: the connection decides both, busy or not, in one place.
 */
final class VertxHttpClock extends ChannelInboundHandlerAdapter {

    private final VertxHttpServer.Connection connection;
    private final long idleNanos;
    private final long headNanos;
    private final NettyHeadStart heads;
    private ChannelHandlerContext ctx;

    private long lastActive;
    private long headStartedAt;

    private ScheduledFuture<?> check;
    private long checkAt;

    VertxHttpClock(VertxHttpServer.Connection connection, long idleNanos, long headNanos, int maxHeaderBytes) {
        this.connection = connection;
        this.idleNanos = idleNanos;
        this.headNanos = headNanos;
        this.heads = new NettyHeadStart(maxHeaderBytes);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastActive = System.nanoTime();
        arm(lastActive + idleNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (heads.read(msg)) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
            connection.tooManyBlankLines();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        lastActive = now;
        if (heads.readComplete()) {
            headStartedAt = now;
            arm(now + headNanos);
        }
        ctx.fireChannelReadComplete();
    }

    /** An answer went out: the connection was not idle. */
    void answered() {
        lastActive = System.nanoTime();
    }

    /** The decoder decoded a head; returns the blank-line bytes counted before it. */
    int headEnded() {
        return heads.headEnded();
    }

    /** The request's last content: the next byte begins a head. */
    void requestEnded() {
        heads.requestEnded();
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
        boolean headOpen = heads.headOpen();
        if (headOpen && now - (headStartedAt + headNanos) >= 0 && !heads.openedThisRead()) {
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
