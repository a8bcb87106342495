package io.asyncbench.netty.support;

import io.asyncbench.api.ServerCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelProgressivePromise;
import io.netty.channel.FileRegion;
import io.netty.util.concurrent.PromiseNotifier;

/**
 * The first handler of a connection's pipeline, next to the socket: it counts the bytes each read
 * brought up, and the bytes the socket accepted of each write, whatever the workload above it.
 *
 * <p>Why a promise counts the writes: the socket's writes happen inside the transport, after
 * {@code flush} and again whenever the socket turns writable, and the only thing Netty tells of
 * them is write progress, which {@code ChannelOutboundBuffer} reports after each
 * {@code write}/{@code writev} to the {@link io.netty.channel.ChannelProgressivePromise} of the
 * write at its head (partial writes included). Counting when a write is handed down instead
 * would count bytes still queued in user space (the backpressure bound the conformance suite
 * checks would then hide them), and Netty's traffic counters count there too. So the connection
 * has one promise that only counts, {@link Progress}, for its fire-and-forget writes (void
 * promise, as the echo makes): no allocation per write, where a promise per write cost 56 B per
 * echo round trip (measured on epoll: 73 B instead of 17 B). A write somebody waits on gets a
 * counted promise of its own that completes theirs (a listener on theirs passes a cancel on, so
 * theirs must take listeners).
 *
 * <p>One instance per connection (not {@code @Sharable}): it holds that connection's promise.
 * Open to a strategy that needs more from the same place in the pipeline.
 */
public class NettyByteCounter extends ChannelDuplexHandler {

    /** Its name in a pipeline, which {@link NettyLingeringClose#AFTER_ANSWER} puts its drain behind. */
    public static final String NAME = "bytes";

    private final ServerCounters counters;
    private Progress progress;

    public NettyByteCounter(ServerCounters counters) {
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        progress = new Progress(ctx.channel(), counters);
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            counters.bytesRead(buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public final void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!hasBytes(msg)) {
            ctx.write(msg, promise);
        } else if (promise.isVoid()) {
            ctx.write(msg, progress);
        } else {
            CountedWrite counted = new CountedWrite(ctx.channel(), counters);
            PromiseNotifier.cascade(counted, promise);
            ctx.write(msg, counted);
        }
    }

    private static boolean hasBytes(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.isReadable();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().isReadable();
        }
        return msg instanceof FileRegion region && region.count() > 0;
    }

    /**
     * The promise of one write somebody waits on: it counts the write's bytes as the socket
     * accepts them, reports the progress on and completes like any promise.
     */
    private static class CountedWrite extends DefaultChannelProgressivePromise {

        private final ServerCounters counters;
        /** Whether progress is reported on to listeners (not for a promise nobody listens to). */
        private final boolean reportProgress;
        /** Bytes of the current write already counted. */
        private long counted;

        CountedWrite(Channel channel, ServerCounters counters) {
            this(channel, counters, true);
        }

        private CountedWrite(Channel channel, ServerCounters counters, boolean reportProgress) {
            super(channel);
            this.counters = counters;
            this.reportProgress = reportProgress;
        }

        /** Called by the outbound buffer after each socket write, with this write's bytes so far. */
        @Override
        public final boolean tryProgress(long progress, long total) {
            counters.bytesWritten(progress - counted);
            counted = progress;
            return !reportProgress || super.tryProgress(progress, total);
        }

        final void nextWrite() {
            counted = 0;
        }
    }

    /**
     * The connection's promise for its fire-and-forget writes. It never completes, like a void
     * promise: the outbound buffer reports progress for the write at its head, then completes
     * that write before starting on the next, in write order, so the count of the current write
     * starts again at each completion. A failed write goes to the pipeline's
     * {@code exceptionCaught}, as a void promise's does.
     */
    private static final class Progress extends CountedWrite {

        Progress(Channel channel, ServerCounters counters) {
            super(channel, counters, false);
        }

        /** True, or the outbound buffer warns of a promise that refuses to complete. */
        @Override
        public boolean trySuccess(Void result) {
            nextWrite();
            return true;
        }

        @Override
        public boolean tryFailure(Throwable cause) {
            nextWrite();
            if (channel().isRegistered()) {
                channel().pipeline().fireExceptionCaught(cause);
            }
            return true;
        }
    }
}
