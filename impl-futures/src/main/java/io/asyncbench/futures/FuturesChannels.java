package io.asyncbench.futures;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;

/**
 * NIO.2's completion handlers adapted, once, to CompletableFuture: each method starts the
 * operation and returns a future that the channel group completes. The future travels as the
 * attachment, so the handler is made once (per server for accept and connect, per connection for
 * reads and writes, which it counts) and the future is the only allocation an operation adds.
 *
 * <p>An operation refused on the spot (the group shutting down, a second read while one is
 * pending) comes back as a failed future, like every other failure. Cancelling one of these
 * futures does not stop the IO: NIO.2 offers no way to take back a pending read but closing the
 * channel, which is what every caller that gives up on an operation does.
 */
final class FuturesChannels {

    private static final Completer<AsynchronousSocketChannel> ACCEPT = new Completer<>();
    private static final Completer<Void> CONNECT = new Completer<>();

    static CompletableFuture<AsynchronousSocketChannel> accept(AsynchronousServerSocketChannel listener) {
        CompletableFuture<AsynchronousSocketChannel> accepted = new CompletableFuture<>();
        try {
            listener.accept(accepted, ACCEPT);
        } catch (RuntimeException refused) {
            accepted.completeExceptionally(refused);
        }
        return accepted;
    }

    /** Completes once {@code channel} is connected to {@code remote}. */
    static CompletableFuture<Void> connect(AsynchronousSocketChannel channel, SocketAddress remote) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        try {
            channel.connect(remote, connected, CONNECT);
        } catch (RuntimeException refused) {
            connected.completeExceptionally(refused);
        }
        return connected;
    }

    /**
     * Completes with the number of bytes read, or -1 at end of stream, through {@code completer}:
     * the caller's own, which does its bookkeeping (counting) where the read completes rather
     * than in a further stage per read, and then completes the future it is given.
     */
    static CompletableFuture<Integer> read(AsynchronousSocketChannel channel, ByteBuffer destination,
                                          CompletionHandler<Integer, CompletableFuture<Integer>> completer) {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        try {
            channel.read(destination, count, completer);
        } catch (RuntimeException refused) {
            count.completeExceptionally(refused);
        }
        return count;
    }

    /**
     * Completes with the number of bytes written, which may be fewer than were remaining, through
     * {@code completer}, as for {@link #read}.
     */
    static CompletableFuture<Integer> write(AsynchronousSocketChannel channel, ByteBuffer source,
                                           CompletionHandler<Integer, CompletableFuture<Integer>> completer) {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        try {
            channel.write(source, count, completer);
        } catch (RuntimeException refused) {
            count.completeExceptionally(refused);
        }
        return count;
    }

    private static final class Completer<V> implements CompletionHandler<V, CompletableFuture<V>> {

        @Override
        public void completed(V result, CompletableFuture<V> future) {
            future.complete(result);
        }

        @Override
        public void failed(Throwable failure, CompletableFuture<V> future) {
            future.completeExceptionally(failure);
        }
    }

    private FuturesChannels() {
    }
}
