package io.asyncbench.futures;

import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One socket, accepted or connected: its reads and writes as futures, counted where they complete,
 * and its life cycle. Whoever ends it first (the session's future, a deadline, or the server's
 * close()) closes it; it is closed and counted exactly once.
 */
final class FuturesConnection {

    private static final System.Logger LOG = System.getLogger(FuturesConnection.class.getName());
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final AsynchronousSocketChannel channel;
    private final ServerCounters counters;
    private final Set<FuturesConnection> registry;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * When the read waiting for the peer's next message is overdue, in the clock of the server's
     * {@link FuturesIdleTimeout}, which reads it now and then; {@code NOT_WAITING} otherwise.
     */
    private volatile long idleDeadline = FuturesIdleTimeout.NOT_WAITING;
    /** Completes a read's future where the read completes: counts it, ends an idle wait. */
    private final CompletionHandler<Integer, CompletableFuture<Integer>> readCompleted = new CompletionHandler<>() {
        @Override
        public void completed(Integer count, CompletableFuture<Integer> future) {
            idleDeadline = FuturesIdleTimeout.NOT_WAITING;
            if (count > 0) {
                counters.bytesRead(count);
            }
            future.complete(count);
        }

        @Override
        public void failed(Throwable failure, CompletableFuture<Integer> future) {
            future.completeExceptionally(failure);
        }
    };
    /** Completes a write's future where the write completes, counting it. */
    private final CompletionHandler<Integer, CompletableFuture<Integer>> writeCompleted = new CompletionHandler<>() {
        @Override
        public void completed(Integer count, CompletableFuture<Integer> future) {
            counters.bytesWritten(count);
            future.complete(count);
        }

        @Override
        public void failed(Throwable failure, CompletableFuture<Integer> future) {
            future.completeExceptionally(failure);
        }
    };

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
        return FuturesChannels.read(channel, destination, readCompleted);
    }

    /**
     * A read that waits for the peer's next message: as {@code read(destination)
     * .orTimeout(idle timeout)}, except that the server's {@link FuturesIdleTimeout} checks the
     * deadline now and then instead of a timer per read. On expiry it closes the connection,
     * and this future fails with AsynchronousCloseException.
     */
    CompletableFuture<Integer> readIdle(ByteBuffer destination, FuturesIdleTimeout idle) {
        idleDeadline = idle.deadlineFromNow();
        return read(destination);
    }

    /** For {@link FuturesIdleTimeout}: the pending idle read's deadline, or NOT_WAITING. */
    long idleDeadline() {
        return idleDeadline;
    }

    /**
     * Writes all of {@code source}. A write may take only part of it (the socket's send buffer is
     * full while the peer is slow), so it is a loop of writes until the buffer is drained; only
     * one write is ever pending, as the channel requires.
     */
    CompletableFuture<Void> writeFully(ByteBuffer source) {
        return writeFully(source, 0);
    }

    /**
     * Writes all of {@code source}, failing with a TimeoutException when one write makes no
     * progress for {@code stallNanos} (0: never): a peer that stops reading is as idle as one that
     * stops sending. The caller closes the connection on that failure, which is what releases the
     * write still pending in the channel.
     */
    CompletableFuture<Void> writeFully(ByteBuffer source, long stallNanos) {
        CompletableFuture<Integer> first = write(source, stallNanos);
        if (first.isDone() && !first.isCompletedExceptionally() && !source.hasRemaining()) {
            return DONE; // the usual case: the socket took it all at once, nothing to wait for
        }
        return first.thenCompose(count -> source.hasRemaining()
                ? FuturesLoop.repeat(() -> write(source, stallNanos).thenApply(more -> source.hasRemaining()))
                : DONE);
    }

    private CompletableFuture<Integer> write(ByteBuffer source, long stallNanos) {
        CompletableFuture<Integer> write = FuturesChannels.write(channel, source, writeCompleted);
        if (stallNanos > 0) {
            write.orTimeout(stallNanos, TimeUnit.NANOSECONDS); // a no-op if it completed at once
        }
        return write;
    }

    /** Half-closes: the peer reads end of stream once what was written has arrived. */
    CompletableFuture<Void> shutdownOutput() {
        try {
            channel.shutdownOutput();
            return DONE;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Ends the connection normally. */
    void close() {
        closeOnce();
    }

    /**
     * Ends the connection because an operation failed, timed out or was cancelled. A failure
     * after the connection was closed is the echo of that close (AsynchronousCloseException) and
     * not another error.
     */
    void fail(Throwable failure) {
        Throwable cause = FuturesLoop.unwrap(failure);
        if (closeOnce()) {
            counters.error();
            if (cause instanceof Error
                    || cause instanceof RuntimeException && !(cause instanceof CancellationException)) {
                // Resets, timeouts, cancellations and bad input are routine; this is a bug.
                LOG.log(System.Logger.Level.WARNING, "connection failed", cause);
            }
        }
    }

    boolean isOpen() {
        return !closed.get();
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
