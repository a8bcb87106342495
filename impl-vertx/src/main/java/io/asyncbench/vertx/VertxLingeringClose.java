package io.asyncbench.vertx;

import io.asyncbench.api.http.LingeringClose;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The closing rule ({@link LingeringClose}) under Vert.x, which closes a connection outright
 * after an answer that ends it: with the client's input unread, the kernel then resets the
 * connection, and a client still sending loses the answer. Near the front of the pipeline, once
 * {@link #arm armed} by an answer that closes: the close (Vert.x's, once it has flushed the
 * answer, or {@link #start} once the answer is written) becomes FIN ({@code shutdownOutput}),
 * then this handler reads and drops what the client still sends, until its EOF, a byte bound or
 * a timer, and closes.
 *
 * <p>The drain is netty-support's NettyLingeringClose's, but the shape is not: that one is put in
 * place once the answer is written, while Vert.x closes from inside its own handler, so this one
 * sits in the pipeline from the start to catch that close, takes the closes that follow, and
 * lingers on through the errors Vert.x reports about a request it has already answered.
 */
final class VertxLingeringClose extends ChannelDuplexHandler {

    private ChannelHandlerContext ctx;
    private boolean armed;
    private boolean lingering;
    private boolean finished;
    private long bytesLeft = LingeringClose.DRAIN_BYTES;
    private ScheduledFuture<?> timer;
    private ChannelPromise closing;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The answer being written closes the connection: a close from now on lingers. */
    void arm() {
        armed = true;
    }

    /** The answer that closes is written: FIN, then drain, then close. On the connection's loop. */
    void start() {
        if (lingering) {
            return;
        }
        lingering = true;
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive()) {
            finish();
            return;
        }
        timer = ctx.executor().schedule(this::finish, LingeringClose.DRAIN_TIME.toNanos(), TimeUnit.NANOSECONDS);
        duplex.shutdownOutput().addListener(fin -> {
            if (fin.isSuccess()) {
                duplex.config().setAutoRead(true); // paused if requests were held
            } else {
                finish();
            }
        });
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.close(closing != null ? closing : ctx.newPromise());
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (armed && !lingering && ctx.channel().isActive()) {
            closing = promise;
            start();
        } else if (lingering && closing == null) {
            closing = promise; // completed when the lingering ends
        } else {
            ctx.close(promise);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!lingering) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            bytesLeft -= bytes.readableBytes();
        }
        ReferenceCountUtil.release(msg); // what follows a closing answer is never answered
        if (bytesLeft <= 0) {
            finish();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!lingering) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!lingering) {
            ctx.fireExceptionCaught(cause);
        } else if (cause instanceof IOException) {
            finish(); // a reset now changes nothing: the answer is out
        } // else Vert.x reporting the bad request it handed over, answered already: linger on
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
