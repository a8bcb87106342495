package io.asyncbench.netty;

import io.asyncbench.api.http.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The closing rule ({@link LingeringClose}) as a handler: once the answer that closes the
 * connection is written, FIN ({@code shutdownOutput}), then this handler, put in front of the
 * codec, reads and drops what the client still sends until its EOF, a byte bound, or a timer, and
 * closes. {@code ChannelFutureListener.CLOSE} instead would close with unread input, which sends a
 * reset: it fails a client still sending its request and can destroy the answer before it is read.
 */
final class NettyLingeringClose extends ChannelInboundHandlerAdapter {

    /** Use instead of {@code ChannelFutureListener.CLOSE} on the write of a closing answer. */
    static final ChannelFutureListener AFTER_ANSWER = written -> {
        Channel channel = written.channel();
        if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close(); // nothing to protect: the answer did not go out
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        NettyLingeringClose linger = new NettyLingeringClose();
        if (pipeline.get("bytes") != null) {
            pipeline.addAfter("bytes", "linger", linger); // drained bytes are still counted as read
        } else {
            pipeline.addFirst("linger", linger);
        }
        duplex.shutdownOutput().addListener(fin -> {
            if (fin.isSuccess()) {
                channel.config().setAutoRead(true); // paused if requests were held
            } else {
                channel.close();
            }
        });
    };

    private long bytesLeft = LingeringClose.DRAIN_BYTES;
    private ScheduledFuture<?> timer;

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
        // Nothing to flush: the answer is out.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client closed too: done
        } else {
            ReferenceCountUtil.release(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset now changes nothing: the answer is out
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel(false);
        ctx.fireChannelInactive();
    }
}
