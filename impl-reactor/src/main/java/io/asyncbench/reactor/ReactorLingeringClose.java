package io.asyncbench.reactor;

import io.asyncbench.api.http.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The closing rule ({@link LingeringClose}) under reactor-netty, whose HttpTrafficHandler closes
 * a connection as soon as a closing answer is written ({@code ChannelFutureListener.CLOSE}),
 * with the client's unread bytes still in the socket, which sends a reset that can destroy the
 * answer. {@link ReactorRequestGate} turns that close into this: FIN, then read and drop what the
 * client still sends until its EOF, 4 MiB or 1 s, then close; reactor-netty's close promise completes when the channel is closed.
 */
final class ReactorLingeringClose extends ChannelInboundHandlerAdapter {

    private final ChannelPromise closed;
    private long bytesLeft = LingeringClose.DRAIN_BYTES;
    private ScheduledFuture<?> timer;

    private ReactorLingeringClose(ChannelPromise closed) {
        this.closed = closed;
    }

    /** Instead of closing {@code channel} now: FIN, drain, close; {@code closed} completes then. */
    static void begin(Channel channel, ChannelPromise closed) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close(closed);
            return;
        }
        channel.pipeline().addAfter(ReactorByteCounter.NAME, "asyncbench.linger", new ReactorLingeringClose(closed));
        duplex.shutdownOutput().addListener(fin -> {
            if (fin.isSuccess()) {
                channel.config().setAutoRead(true); // reactor-netty reads on demand only
                channel.read();
            } else {
                channel.close(closed);
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            ctx.close();
        }, LingeringClose.DRAIN_TIME.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            bytesLeft -= bytes.readableBytes();
        }
        ReferenceCountUtil.release(msg); // what follows a closing answer is never answered
        if (bytesLeft <= 0) {
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Nothing goes on: the answer is out.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client closed too: done
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset now changes nothing: the answer is out
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel(false);
        closed.trySuccess();
        ctx.fireChannelInactive();
    }
}
