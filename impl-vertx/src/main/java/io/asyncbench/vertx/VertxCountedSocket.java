package io.asyncbench.vertx;

import io.asyncbench.api.ServerCounters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * A TCP socket of a server (accepted, or opened to a backend) as every workload uses it: counted
 * ({@link VertxByteCounter}), with flow control that stops reading at once, and an end that says
 * whether it was an error.
 *
 * <p><b>Errors.</b> A connection that fails (an exception: without a handler Vert.x would log it
 * with a stack trace) or closes without the workload having closed it (a reset found by a write,
 * which fails the write's future and closes the channel) counts as one error, once.
 *
 * <p><b>Flow control, to the spec's bound.</b> A connection may hold one read buffer and a write
 * queue up to the high water mark ({@code Limits.maxBufferedBytesPerConnection}). Vert.x 5's own
 * flow control holds more on both sides, by design: {@code writeQueueFull()} turns true only
 * once 16 more writes wait in Vert.x's queue in front of a channel already at its high water
 * mark, and a paused connection stops reading only once 8 reads wait for it (checked after each
 * batch of up to 16 reads): with 16 KiB reads, over half a MiB held for a client that does not
 * read. So here the write queue is full when the channel is not writable (its high water mark
 * passed), {@link #pause()} also stops the channel's reads at once, and {@link #drainHandler}
 * runs when the channel turns writable again.
 */
final class VertxCountedSocket {

    private final NetSocketInternal socket;
    private final ServerCounters counters;
    private final VertxByteCounter counter;
    private boolean done;

    private VertxCountedSocket(NetSocketInternal socket, ServerCounters counters, VertxByteCounter counter) {
        this.socket = socket;
        this.counters = counters;
        this.counter = counter;
    }

    /** Counts {@code socket} from now on; call before it reads. */
    static VertxCountedSocket of(NetSocket socket, VertxConnections connections) {
        NetSocketInternal internal = (NetSocketInternal) socket;
        VertxByteCounter counter = connections.count(internal.channelHandlerContext().pipeline());
        VertxCountedSocket counted = new VertxCountedSocket(internal, connections.counters(), counter);
        internal.exceptionHandler(failure -> counted.fail());
        internal.closeHandler(closed -> counted.failIfNotDone());
        return counted;
    }

    NetSocketInternal socket() {
        return socket;
    }

    /** Reads what this socket reads into {@code handler}. */
    void handler(io.vertx.core.Handler<Buffer> handler) {
        socket.handler(handler);
    }

    void write(Buffer buffer) {
        socket.write(buffer);
    }

    /** The channel's write queue passed its high water mark. */
    boolean writeQueueFull() {
        return !socket.channelHandlerContext().channel().isWritable();
    }

    /** Runs {@code drained} when the write queue is below its low water mark again. */
    void drainHandler(Runnable drained) {
        counter.onWritable(drained);
    }

    void pause() {
        socket.pause();
        socket.channelHandlerContext().channel().config().setAutoRead(false);
    }

    void resume() {
        socket.channelHandlerContext().channel().config().setAutoRead(true);
        socket.resume();
    }

    boolean isOpen() {
        return socket.channelHandlerContext().channel().isActive();
    }

    /** The workload ends the connection: not an error. Flushes first. */
    void close() {
        done = true;
        socket.close();
    }

    /**
     * The workload ends the connection at once, dropping what it had yet to write (its peer is
     * gone): not an error.
     */
    void abort() {
        done = true;
        counter.abort();
    }

    /** The connection failed: one error, and closed at once. */
    void fail() {
        failIfNotDone();
        counter.abort();
    }

    /** The connection closed: an error unless the workload ended it. */
    void failIfNotDone() {
        if (!done) {
            done = true;
            counters.error();
        }
    }
}
