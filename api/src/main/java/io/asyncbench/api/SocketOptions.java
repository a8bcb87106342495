package io.asyncbench.api;

/**
 * Socket options every strategy applies identically, so no strategy wins by a kernel setting.
 *
 * @param tcpNoDelay     TCP_NODELAY on accepted (and outgoing) sockets: request/response
 *                       workloads must not wait for Nagle's algorithm
 * @param reuseAddress   SO_REUSEADDR on the listening socket, so a closed server's port can be
 *                       bound again at once despite connections in TIME_WAIT
 * @param backlog        listen backlog; large enough for 1,024 simultaneous connects
 * @param receiveBufferSize SO_RCVBUF for accepted sockets, or 0 to leave the kernel's autotuning
 * @param sendBufferSize    SO_SNDBUF for accepted sockets, or 0 to leave the kernel's autotuning
 */
public record SocketOptions(boolean tcpNoDelay, boolean reuseAddress, int backlog,
                            int receiveBufferSize, int sendBufferSize) {

    public static final SocketOptions DEFAULTS = new SocketOptions(true, true, 4096, 0, 0);

    public SocketOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must be >= 0 (0 = kernel default)");
        }
    }
}
