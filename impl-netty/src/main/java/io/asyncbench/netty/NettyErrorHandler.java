package io.asyncbench.netty;

import io.asyncbench.api.ServerCounters;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * The last handler of every connection's pipeline: an exception nobody handled ends the connection,
 * counted once as an error. A peer reset is an {@link IOException}, an ordinary event for a server:
 * it is logged at debug level only, never printed with a stack trace.
 */
@Sharable
final class NettyErrorHandler extends ChannelInboundHandlerAdapter {

    private static final InternalLogger LOG =
            InternalLoggerFactory.getInstance(NettyErrorHandler.class);

    /** Set on the first error of a connection: one failure often surfaces several times. */
    private static final AttributeKey<Boolean> FAILED =
            AttributeKey.valueOf(NettyErrorHandler.class, "failed");

    private final ServerCounters counters;

    NettyErrorHandler(ServerCounters counters) {
        this.counters = counters;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A ClosedChannelException is the echo of a close (writes still queued when the channel
        // closed), never the reason for one; a reset seen by several queued writes counts once.
        if (!(cause instanceof ClosedChannelException)
                && ctx.channel().attr(FAILED).setIfAbsent(Boolean.TRUE) == null) {
            counters.error();
            if (cause instanceof IOException) {
                LOG.debug("{} ended: {}", ctx.channel(), cause.toString());
            } else {
                LOG.warn("{} ended by an unexpected exception", ctx.channel(), cause);
            }
        }
        ctx.close();
    }
}
