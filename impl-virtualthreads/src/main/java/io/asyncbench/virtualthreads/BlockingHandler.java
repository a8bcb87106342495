package io.asyncbench.virtualthreads;

import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * A workload, written as straight-line blocking code for one connection: the whole style in one
 * method. {@link BlockingServer} calls it on the connection's own thread and owns everything
 * around it: accepting, socket options, counting connections and errors, closing.
 *
 * <p>The channel is in blocking mode, and a blocking {@link SocketChannel} has no read timeout
 * (it ignores SO_TIMEOUT). A workload that needs one (HTTP's idle timeout) reads through an
 * {@link IdleReaper}, which ends overdue reads lazily instead of arming a timer per read.
 */
@FunctionalInterface
interface BlockingHandler {

    /**
     * Serves {@code channel} until the conversation is over. Returning means an orderly end;
     * throwing {@link IOException} (a reset, a broken pipe, an idle timeout) means an abnormal one.
     * Either way the caller closes the channel. Count bytes with {@code counters} where they are
     * read and written.
     *
     * @throws InterruptedException when the server is closing: {@link BlockingServer#close()}
     *                              interrupts threads that wait on something other than their
     *                              socket (a sleep, backend calls), since closing the socket
     *                              would not wake them
     */
    void serve(SocketChannel channel, ServerCounters counters) throws IOException, InterruptedException;

    /**
     * Frees what the workload holds beyond its connections (a pool of backend connections).
     * Called once by {@link BlockingServer#close()} after every connection thread has ended.
     */
    default void close() {
    }
}
