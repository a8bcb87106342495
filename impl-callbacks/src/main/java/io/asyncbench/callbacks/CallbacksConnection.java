package io.asyncbench.callbacks;

import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One socket of a server, accepted or opened by it (a gateway's backend call, a proxy's backend
 * side), and its life cycle. Whoever ends it first (the protocol at EOF, a failed handler, a
 * deadline, or the server's close()) closes it; it is closed and counted exactly once.
 *
 * <p>An outgoing connection is registered while it is still connecting, so that a deadline or
 * close() can close it in any phase; it is counted as opened once established.
 */
final class CallbacksConnection {

    private static final System.Logger LOG = System.getLogger(CallbacksConnection.class.getName());

    private static final int CONNECTING = 0;
    private static final int OPEN = 1;
    private static final int CLOSED = 2;

    private final AsynchronousSocketChannel channel;
    private final ServerCounters counters;
    private final Set<CallbacksConnection> registry;
    private final AtomicInteger state;
    /**
     * When the read waiting for the peer's next message is overdue, in the clock of the server's
     * {@link CallbacksIdleTimeout}, which reads it now and then; {@code NOT_WAITING} otherwise.
     */
    private volatile long idleDeadline = CallbacksIdleTimeout.NOT_WAITING;

    CallbacksConnection(AsynchronousSocketChannel channel, ServerCounters counters,
                        Set<CallbacksConnection> registry, boolean connected) {
        this.channel = channel;
        this.counters = counters;
        this.registry = registry;
        this.state = new AtomicInteger(connected ? OPEN : CONNECTING);
    }

    ServerCounters counters() {
        return counters;
    }

    boolean isOpen() {
        return state.get() != CLOSED;
    }

    /**
     * {@link AsynchronousSocketChannel#connect}; the handler is told once the connection is
     * established and counted, or that it failed (then it should {@link #fail} the connection).
     */
    <A> void connect(SocketAddress address, A attachment, CompletionHandler<Void, ? super A> handler) {
        // One small handler per connect, not per read: connects are rare, and this one keeps the
        // state change in one place.
        CompletionHandler<Void, A> established = new CompletionHandler<>() {
            @Override
            public void completed(Void unused, A attached) {
                if (state.compareAndSet(CONNECTING, OPEN)) {
                    counters.connectionOpened();
                    handler.completed(null, attached);
                } else {
                    handler.failed(new AsynchronousCloseException(), attached); // closed meanwhile
                }
            }

            @Override
            public void failed(Throwable failure, A attached) {
                handler.failed(failure, attached);
            }
        };
        try {
            channel.connect(address, attachment, established);
        } catch (RuntimeException refused) {
            handler.failed(refused, attachment);
        }
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

    /**
     * A read that fails with {@link java.nio.channels.InterruptedByTimeoutException} when nothing
     * arrives for {@code timeout}: NIO.2's own timer, a task on the group's timeout executor
     * armed and cancelled per read, so only for reads that are rare and need their own deadline
     * (see {@link CallbacksIdleTimeout}). After a timeout the channel refuses further reads.
     */
    <A> void read(ByteBuffer destination, long timeout, TimeUnit unit, A attachment,
                  CompletionHandler<Integer, ? super A> handler) {
        try {
            channel.read(destination, timeout, unit, attachment, handler);
        } catch (RuntimeException refused) {
            handler.failed(refused, attachment);
        }
    }

    /**
     * A read that waits for the peer's next message: the server's {@link CallbacksIdleTimeout}
     * closes the connection if nothing arrives in time (the pending read then fails with
     * AsynchronousCloseException). The handler must call {@link #heard()} first thing when the
     * read completes: from then on the connection is busy, not idle.
     */
    <A> void readIdle(ByteBuffer destination, CallbacksIdleTimeout idle, A attachment,
                      CompletionHandler<Integer, ? super A> handler) {
        idleDeadline = idle.deadlineFromNow();
        read(destination, attachment, handler);
    }

    /** The read started by {@link #readIdle} completed: the idle timeout no longer applies. */
    void heard() {
        idleDeadline = CallbacksIdleTimeout.NOT_WAITING;
    }

    /** For {@link CallbacksIdleTimeout}: the pending idle read's deadline, or NOT_WAITING. */
    long idleDeadline() {
        return idleDeadline;
    }

    /** {@link AsynchronousSocketChannel#write}, with refusals delivered as for {@link #read}. */
    <A> void write(ByteBuffer source, A attachment, CompletionHandler<Integer, ? super A> handler) {
        try {
            channel.write(source, attachment, handler);
        } catch (RuntimeException refused) {
            handler.failed(refused, attachment);
        }
    }

    /**
     * Sends FIN after what was written (the peer reads EOF) while reading goes on. A peer that
     * is already gone fails the connection: its pending read, if any, then fails too.
     */
    void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException | RuntimeException gone) {
            fail(gone);
        }
    }

    /** Ends the connection normally. */
    void close() {
        closeOnce();
    }

    /** Ends the connection abnormally for a reason that is ours, not an IO failure: no trace. */
    void abort() {
        if (closeOnce()) {
            counters.error();
        }
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
        int before = state.getAndSet(CLOSED);
        if (before == CLOSED) {
            return false;
        }
        registry.remove(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do: the descriptor is released either way.
        }
        if (before == OPEN) {
            counters.connectionClosed(); // a connect that never succeeded was never counted open
        }
        return true;
    }
}
