package io.asyncbench.api;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;

/**
 * Socket options every strategy applies identically, so no strategy wins by a kernel setting.
 * A strategy on the JDK's channels applies them here, once ({@link #applyToListener},
 * {@link #applyTo}); Netty sets the same values as its {@code ChannelOption}s.
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

    /**
     * SO_REUSEADDR on a listening socket, before it is bound (with {@link #backlog()}: each kind of
     * server channel has its own {@code bind(address, backlog)}).
     */
    public void applyToListener(NetworkChannel listener) throws IOException {
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
    }

    /**
     * TCP_NODELAY and the buffer sizes that are set, on an accepted socket or on an outgoing one
     * before it connects (so that SO_RCVBUF shapes the window from the SYN on). One system call
     * per option, once per connection.
     */
    public void applyTo(NetworkChannel socket) throws IOException {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, tcpNoDelay);
        if (receiveBufferSize > 0) {
            socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
        }
        if (sendBufferSize > 0) {
            socket.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferSize);
        }
    }
}
