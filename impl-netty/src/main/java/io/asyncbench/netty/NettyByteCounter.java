package io.asyncbench.netty;

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
 * The first handler of a connection's pipeline, next to the socket: it sees each buffer the
 * transport read and each message handed to the transport, whatever the workload above it.
 *
 * <p>Bytes read are counted as they come up. Bytes written are counted when the socket accepts
 * them, not when they are queued, through Netty's write progress notification: the outbound
 * buffer reports to a {@link io.netty.channel.ChannelProgressivePromise} each byte of that write
 * it got into the socket, partial writes included, right after the {@code write}/{@code writev}.
 * Fire-and-forget writes (void promise, as the echo makes) all share the connection's
 * {@link NettyCountingVoidPromise}: no allocation per write, where a promise per write cost 56 B
 * per echo round trip (measured on epoll: 73 B instead of 17 B). A write somebody waits on gets
 * a counted promise of its own that completes theirs.
 *
 * <p>One instance per connection (not {@code @Sharable}): it holds that connection's promise.
 */
final class NettyByteCounter extends ChannelDuplexHandler {

    private final ServerCounters counters;
    private NettyCountingVoidPromise voidPromise;

    NettyByteCounter(ServerCounters counters) {
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        voidPromise = new NettyCountingVoidPromise(ctx.channel(), counters);
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
            ctx.write(msg, voidPromise);
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

    /** The promise of one write that counts its bytes as the socket accepts them. */
    static final class CountedWrite extends DefaultChannelProgressivePromise {

        private final ServerCounters counters;
        private long counted;

        CountedWrite(Channel channel, ServerCounters counters) {
            super(channel);
            this.counters = counters;
        }

        /** Called by the outbound buffer after each socket write, with this write's bytes so far. */
        @Override
        public boolean tryProgress(long progress, long total) {
            counters.bytesWritten(progress - counted);
            counted = progress;
            return super.tryProgress(progress, total);
        }
    }
}
