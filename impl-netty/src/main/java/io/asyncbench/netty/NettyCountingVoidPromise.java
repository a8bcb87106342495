package io.asyncbench.netty;

import io.asyncbench.api.ServerCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.util.concurrent.AbstractFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.TimeUnit;

/**
 * A connection's void promise that also counts the bytes its writes get into the socket: what
 * {@code ctx.voidPromise()} is, plus write progress. One instance per connection serves every
 * fire-and-forget write, so counting costs no allocation per write.
 *
 * <p>It relies on what {@code ChannelOutboundBuffer} guarantees for every progressive promise:
 * after each socket write it reports, for the write at the head of the queue, the bytes written
 * of it so far ({@link #tryProgress}), then completes that write ({@link #trySuccess} or
 * {@link #tryFailure}) before starting on the next, in write order. So one counter of "bytes of
 * the current write already counted", reset at each completion, is enough.
 *
 * <p>Like {@link io.netty.channel.VoidChannelPromise} it never completes and cannot be waited on
 * or listened to; a failed write is reported to the pipeline's {@code exceptionCaught} instead.
 */
final class NettyCountingVoidPromise extends AbstractFuture<Void> implements ChannelProgressivePromise {

    private final Channel channel;
    private final ServerCounters counters;
    /** Bytes of the write at the head of the outbound buffer already counted. */
    private long counted;

    NettyCountingVoidPromise(Channel channel, ServerCounters counters) {
        this.channel = channel;
        this.counters = counters;
    }

    @Override
    public boolean tryProgress(long progress, long total) {
        counters.bytesWritten(progress - counted);
        counted = progress;
        return true;
    }

    @Override
    public boolean trySuccess(Void result) {
        counted = 0;
        // true: the outbound buffer warns about a promise that refuses to complete.
        return true;
    }

    @Override
    public boolean tryFailure(Throwable cause) {
        counted = 0;
        if (channel.isRegistered()) {
            channel.pipeline().fireExceptionCaught(cause);
        }
        return true;
    }

    @Override
    public boolean trySuccess() {
        return trySuccess(null);
    }

    @Override
    public ChannelProgressivePromise setProgress(long progress, long total) {
        tryProgress(progress, total);
        return this;
    }

    @Override
    public ChannelProgressivePromise setSuccess(Void result) {
        trySuccess(result);
        return this;
    }

    @Override
    public ChannelProgressivePromise setSuccess() {
        return setSuccess(null);
    }

    @Override
    public ChannelProgressivePromise setFailure(Throwable cause) {
        tryFailure(cause);
        return this;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean isVoid() {
        return true;
    }

    /** For a caller that needs a real future: a promise of its own, still counted. */
    @Override
    public ChannelProgressivePromise unvoid() {
        ChannelProgressivePromise promise = new NettyByteCounter.CountedWrite(channel, counters);
        promise.addListener(future -> {
            if (!future.isSuccess()) {
                tryFailure(future.cause());
            }
        });
        return promise;
    }

    @Override
    public boolean setUncancellable() {
        return true;
    }

    @Override
    public boolean isCancellable() {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public boolean isDone() {
        return false;
    }

    @Override
    public boolean isSuccess() {
        return false;
    }

    @Override
    public Throwable cause() {
        return null;
    }

    @Override
    public Void getNow() {
        return null;
    }

    // A void promise cannot be listened to or waited on: fail loudly, as VoidChannelPromise does.

    @Override
    public ChannelProgressivePromise addListener(
            GenericFutureListener<? extends Future<? super Void>> listener) {
        throw voidFuture();
    }

    @Override
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final ChannelProgressivePromise addListeners(
            GenericFutureListener<? extends Future<? super Void>>... listeners) {
        throw voidFuture();
    }

    @Override
    public ChannelProgressivePromise removeListener(
            GenericFutureListener<? extends Future<? super Void>> listener) {
        return this;
    }

    @Override
    @SafeVarargs
    @SuppressWarnings("varargs")
    public final ChannelProgressivePromise removeListeners(
            GenericFutureListener<? extends Future<? super Void>>... listeners) {
        return this;
    }

    @Override
    public ChannelProgressivePromise sync() {
        throw voidFuture();
    }

    @Override
    public ChannelProgressivePromise syncUninterruptibly() {
        throw voidFuture();
    }

    @Override
    public ChannelProgressivePromise await() {
        throw voidFuture();
    }

    @Override
    public ChannelProgressivePromise awaitUninterruptibly() {
        throw voidFuture();
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) {
        throw voidFuture();
    }

    @Override
    public boolean await(long timeoutMillis) {
        throw voidFuture();
    }

    @Override
    public boolean awaitUninterruptibly(long timeout, TimeUnit unit) {
        throw voidFuture();
    }

    @Override
    public boolean awaitUninterruptibly(long timeoutMillis) {
        throw voidFuture();
    }

    private static IllegalStateException voidFuture() {
        return new IllegalStateException("void future");
    }
}
