package io.asyncbench.callbacks;

import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One accepted socket and its life cycle. Whoever ends it first (the protocol at EOF, a failed
 * handler, or the server's close()) closes it; it is closed and counted exactly once.
 */
final class CallbacksConnection {

    private static final System.Logger LOG = System.getLogger(CallbacksConnection.class.getName());

    private final AsynchronousSocketChannel channel;
    private final ServerCounters counters;
    private final Set<CallbacksConnection> registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    CallbacksConnection(AsynchronousSocketChannel channel, ServerCounters counters,
                        Set<CallbacksConnection> registry) {
        this.channel = channel;
        this.counters = counters;
        this.registry = registry;
    }

    ServerCounters counters() {
        return counters;
    }

    /**
     * {@link AsynchronousSocketChannel#read(ByteBuffer, Object, CompletionHandler)}, except that an
     * operation refused on the spot (the group shutting down under close()) reaches
     * {@code handler.failed} like any other failure: a handler must never throw, or the group
     * replaces its thread and prints the stack trace.
     */
    <A> void read(ByteBuffer destination, A attachment, CompletionHandler<Integer, ? super A> handler) {
        try {
            channel.read(destination, attachment, handler);
        } catch (RuntimeException refused) {
            handler.failed(refused, attachment);
        }
    }

    /** {@link AsynchronousSocketChannel#write}, with refusals delivered as for {@link #read}. */
    <A> void write(ByteBuffer source, A attachment, CompletionHandler<Integer, ? super A> handler) {
        try {
            channel.write(source, attachment, handler);
        } catch (RuntimeException refused) {
            handler.failed(refused, attachment);
        }
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
        if (closeOnce()) {
            counters.error();
            if (!(failure instanceof IOException)) {
                // Peer resets are IOExceptions and routine; anything else is a bug worth a trace.
                LOG.log(System.Logger.Level.WARNING, "connection failed", failure);
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
