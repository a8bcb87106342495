package io.asyncbench.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * The echo workload as a Netty handler: every {@code ByteBuf} read is written back as it is.
 *
 * <p>Stateless, so one {@link Sharable} instance serves every connection. Netty calls it on the
 * connection's event loop, never concurrently for one channel.
 */
@Sharable
final class NettyEchoServer extends ChannelInboundHandlerAdapter {

    static final NettyEchoServer INSTANCE = new NettyEchoServer();

    private NettyEchoServer() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The buffer that was read goes back out unchanged: no copy, and the outbound buffer
        // releases it once the socket took it. A void promise: nobody waits on a single write.
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush (one writev) per batch of reads, not one syscall per read.
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Netty's backpressure: the channel turns unwritable when the queued writes pass the high
        // water mark and writable again below the low one. Stop reading while the peer is not
        // reading what we send, so at most high water + one read buffer is held for it.
        Channel channel = ctx.channel();
        channel.config().setAutoRead(channel.isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The peer half-closed (ALLOW_HALF_CLOSURE is on): an empty write completes after every
            // earlier one, so the connection closes once all that was read has been echoed.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }
}
