package io.asyncbench.api;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a server did, counted by every strategy at the same places: where a connection is accepted
 * and closed, where bytes come back from a read or go into a write, and where a connection ends in
 * an error. {@link LongAdder} keeps the counting cheap on many cores. Thread-safe.
 *
 * <p>Connections the server opens itself (a gateway's backend calls, a proxy's backend side) are
 * counted like accepted ones, and their bytes too: the counters describe all the server's sockets.
 */
public final class ServerCounters {

    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /** A connection was accepted (or, for a client side, established). */
    public void connectionOpened() {
        connectionsOpened.increment();
    }

    /** A connection was closed, for whatever reason. Called exactly once per opened connection. */
    public void connectionClosed() {
        connectionsClosed.increment();
    }

    public void bytesRead(long count) {
        bytesRead.add(count);
    }

    /**
     * Bytes the socket accepted, counted after the write call returns. On loopback a peer can read
     * them before the count is visible: readers comparing with what a client saw should poll.
     */
    public void bytesWritten(long count) {
        bytesWritten.add(count);
    }

    /** A request-response workload answered one request. */
    public void requestServed() {
        requests.increment();
    }

    /**
     * A connection ended abnormally: reset by the peer, a protocol error, an idle timeout, a
     * refused or failing backend. Counted in addition to {@link #connectionClosed()}. A gateway
     * call cancelled at the deadline is not an error of its own: the 504 already reports it.
     */
    public void error() {
        errors.increment();
    }

    public long connectionsOpened() {
        return connectionsOpened.sum();
    }

    public long connectionsClosed() {
        return connectionsClosed.sum();
    }

    /** Connections opened and not yet closed. */
    public long activeConnections() {
        return connectionsOpened.sum() - connectionsClosed.sum();
    }

    public long bytesRead() {
        return bytesRead.sum();
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }

    public long requests() {
        return requests.sum();
    }

    public long errors() {
        return errors.sum();
    }

    @Override
    public String toString() {
        return "connections " + connectionsOpened() + " opened / " + connectionsClosed() + " closed, "
                + bytesRead() + " B read, " + bytesWritten() + " B written, "
                + requests() + " requests, " + errors() + " errors";
    }
}
