package io.asyncbench.netty.support;

import io.asyncbench.api.http.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
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
 *
 * <p>Two ways in: {@link #AFTER_ANSWER} on the write of a closing answer (a handler that writes
 * its own answers), or {@link #begin} in place of a close somebody else asked for once the answer
 * was written (reactor-netty's HttpTrafficHandler closes with {@code ChannelFutureListener.CLOSE}).
 */
public final class NettyLingeringClose extends ChannelInboundHandlerAdapter {

    /**
     * Use instead of {@code ChannelFutureListener.CLOSE} on the write of a closing answer, on a
     * pipeline whose byte counter is named {@value NettyByteCounter#NAME}.
     */
    public static final ChannelFutureListener AFTER_ANSWER = written -> {
        Channel channel = written.channel();
        if (!written.isSuccess()) {
            channel.close(); // nothing to protect: the answer did not go out
        } else {
            begin(channel, NettyByteCounter.NAME, channel.newPromise());
        }
    };

    private final ChannelPromise closed;
    private long bytesLeft = LingeringClose.DRAIN_BYTES;
    private ScheduledFuture<?> timer;

    private NettyLingeringClose(ChannelPromise closed) {
        this.closed = closed;
    }

    /**
     * Instead of closing {@code channel} now (its answer is written): FIN, drain, close. The drain
     * goes right behind the handler named {@code byteCounter}, so that drained bytes are still
     * counted as read (in front of everything when there is none); {@code closed} completes once
     * the channel is closed.
     */
    public static void begin(Channel channel, String byteCounter, ChannelPromise closed) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close(closed);
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        NettyLingeringClose linger = new NettyLingeringClose(closed);
        if (pipeline.get(byteCounter) != null) {
            pipeline.addAfter(byteCounter, "linger", linger);
        } else {
            pipeline.addFirst("linger", linger);
        }
        duplex.shutdownOutput().addListener(fin -> {
            if (fin.isSuccess()) {
                channel.config().setAutoRead(true); // paused if requests were held
                channel.read(); // reactor-netty reads on demand only
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
