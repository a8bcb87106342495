package io.asyncbench.vertx;

import io.asyncbench.api.ServerCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelProgressivePromise;
import io.netty.util.concurrent.PromiseNotifier;

/**
 * Counts a connection for {@link ServerCounters}, from the front of its Netty pipeline, under
 * Vert.x: the connection once now and once when it closes, the bytes each read brought, and the
 * bytes the socket accepted of each write. Vert.x's metrics SPI reports bytes in 4 KiB batches
 * (and the rest at close), too coarse for counters read while a connection is open.
 *
 * <p>Written bytes are counted as the transport reports its progress to the write's promise (a
 * {@code ChannelProgressivePromise}), partial writes included: counting when a write is handed
 * down would count bytes still queued in user space, which the backpressure bound is about.
 * Vert.x gives most writes a promise of their own; this one then completes it.
 */
final class VertxByteCounter extends ChannelDuplexHandler {

    private final ServerCounters counters;
    private CountedWrite fireAndForget;
    private volatile ChannelHandlerContext ctx;
    /** Run when the channel turns writable again: the flow control of {@link VertxCountedSocket}. */
    private Runnable onWritable;

    VertxByteCounter(ServerCounters counters) {
        this.counters = counters;
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

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        fireAndForget = new CountedWrite(ctx.channel(), counters, true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            counters.bytesRead(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!hasBytes(msg)) {
            ctx.write(msg, promise);
        } else if (promise.isVoid()) {
            ctx.write(msg, fireAndForget);
        } else {
            CountedWrite counted = new CountedWrite(ctx.channel(), counters, false);
            PromiseNotifier.cascade(counted, promise);
            ctx.write(msg, counted);
        }
    }

    private static boolean hasBytes(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.isReadable();
        }
        return msg instanceof ByteBufHolder holder && holder.content().isReadable();
    }

    /**
     * A write's promise that counts its bytes as the socket accepts them. The connection's
     * fire-and-forget one serves every write made with a void promise, one after another (the
     * outbound buffer completes a write before it reports progress on the next), and like a void
     * promise never completes: a failure goes to the pipeline.
     */
    private static final class CountedWrite extends DefaultChannelProgressivePromise {

        private final ServerCounters counters;
        private final boolean reused;
        private long counted;

        CountedWrite(Channel channel, ServerCounters counters, boolean reused) {
            super(channel);
            this.counters = counters;
            this.reused = reused;
        }

        @Override
        public boolean tryProgress(long progress, long total) {
            counters.bytesWritten(progress - counted);
            counted = progress;
            return reused || super.tryProgress(progress, total);
        }

        @Override
        public boolean trySuccess(Void result) {
            if (reused) {
                counted = 0;
                return true;
            }
            return super.trySuccess(result);
        }

        @Override
        public boolean tryFailure(Throwable cause) {
            if (reused) {
                counted = 0;
                if (channel().isRegistered()) {
                    channel().pipeline().fireExceptionCaught(cause);
                }
                return true;
            }
            return super.tryFailure(cause);
        }
    }
}
