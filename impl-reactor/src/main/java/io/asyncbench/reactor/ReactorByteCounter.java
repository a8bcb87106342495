package io.asyncbench.reactor;

import io.asyncbench.api.ServerCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The first handler of every connection, next to the socket: counts the bytes each read brought
 * up and the bytes of each write once the socket has taken all of it (a write still queued in
 * user space is not written yet: the backpressure bounds are read from these counts).
 * reactor-netty writes with promises of its own (MonoSendMany is one), so a write is passed on
 * with a promise of this handler that completes theirs.
 *
 * <p>Not netty-support's NettyByteCounter, which counts a write's progress on a promise that
 * cascades to theirs: MonoSendMany's promise refuses listeners ({@code addListener} throws
 * UnsupportedOperationException), and a failed write must be counted here as the connection's
 * error, as reactor-netty hands it to the publisher and never to the pipeline.
 */
final class ReactorByteCounter extends ChannelDuplexHandler {

    static final String NAME = "asyncbench.bytes";

    private final ServerCounters counters;

    ReactorByteCounter(ServerCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            counters.bytesRead(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        int bytes = msg instanceof ByteBuf buf ? buf.readableBytes()
                : msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
        if (bytes == 0) {
            ctx.write(msg, promise);
            return;
        }
        ChannelPromise counted = ctx.newPromise();
        counted.addListener(written -> {
            if (written.isSuccess()) {
                counters.bytesWritten(bytes);
                promise.trySuccess();
            } else if (promise.isVoid()) {
                ctx.fireExceptionCaught(written.cause());
            } else {
                ReactorConnections.ErrorCounter.count(ctx.channel(), written.cause(), counters);
                promise.tryFailure(written.cause());
            }
        });
        ctx.write(msg, counted);
    }
}
