package io.asyncbench.futures;

import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted socket: its reads and writes as futures, counted where they complete, and its life
 * cycle. Whoever ends it first (the session's future, or the server's close()) closes it; it is
 * closed and counted exactly once.
 */
final class FuturesConnection {

    private static final System.Logger LOG = System.getLogger(FuturesConnection.class.getName());

    private final AsynchronousSocketChannel channel;
    private final ServerCounters counters;
    private final Set<FuturesConnection> registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    FuturesConnection(AsynchronousSocketChannel channel, ServerCounters counters,
                      Set<FuturesConnection> registry) {
        this.channel = channel;
        this.counters = counters;
        this.registry = registry;
    }

    ServerCounters counters() {
        return counters;
    }

    /** Reads into {@code destination}; completes with the byte count, or -1 at end of stream. */
    CompletableFuture<Integer> read(ByteBuffer destination) {
        return FuturesChannels.read(channel, destination).thenApply(count -> {
            if (count > 0) {
                counters.bytesRead(count);
            }
            return count;
        });
    }

    /**
     * Writes all of {@code source}. A write may take only part of it (the socket's send buffer is
     * full while the peer is slow), so it is a loop of writes until the buffer is drained; only
     * one write is ever pending, as the channel requires.
     */
    CompletableFuture<Void> writeFully(ByteBuffer source) {
        return FuturesLoop.repeat(() -> FuturesChannels.write(channel, source).thenApply(count -> {
            counters.bytesWritten(count);
            return source.hasRemaining();
        }));
    }

    /** Ends the connection normally. */
    void close() {
        closeOnce();
    }

    /**
     * Ends the connection because an operation failed. A failure after the connection was closed
     * is the echo of that close (AsynchronousCloseException) and not an error.
     */
    void fail(Throwable failure) {
        Throwable cause = FuturesLoop.unwrap(failure);
        if (closeOnce()) {
            counters.error();
            if (!(cause instanceof IOException)) {
                // Peer resets are IOExceptions and routine; anything else is a bug worth a trace.
                LOG.log(System.Logger.Level.WARNING, "connection failed", cause);
            }
        }
    }

    private boolean closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        registry.remove(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do: the descriptor is released either way.
        }
        counters.connectionClosed();
        return true;
    }
}
