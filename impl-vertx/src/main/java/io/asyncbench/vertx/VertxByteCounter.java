package io.asyncbench.vertx;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.netty.support.NettyByteCounter;
import io.netty.channel.ChannelHandlerContext;

/**
 * Counts a connection's bytes for {@link ServerCounters} from the front of its Netty pipeline under
 * Vert.x ({@link NettyByteCounter}), whose metrics SPI reports bytes in 4 KiB batches (and the
 * rest at close), too coarse for counters read while a connection is open. From the same place it
 * serves {@link VertxCountedSocket}'s flow control and closes a connection past Vert.x.
 */
final class VertxByteCounter extends NettyByteCounter {

    private volatile ChannelHandlerContext ctx;
    /** Run when the channel turns writable again: the flow control of {@link VertxCountedSocket}. */
    private Runnable onWritable;

    VertxByteCounter(ServerCounters counters) {
        super(counters);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        this.ctx = ctx;
    }

    /** Runs {@code action} each time the channel turns writable again, before Vert.x hears of it. */
    void onWritable(Runnable action) {
        onWritable = action;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (onWritable != null && ctx.channel().isWritable()) {
            onWritable.run();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Closes the connection now, from the front of its pipeline: past Vert.x's handler, which
     * would flush first (forever, for a peer that does not read). What was to be written is dropped.
     */
    void abort() {
        ChannelHandlerContext context = ctx;
        if (context != null) {
            context.close();
        }
    }
}
