package io.asyncbench.api;

import java.net.InetSocketAddress;

/**
 * A server started by {@link Strategy#start(ServerSpec)}: asyncio's {@code Server} object.
 */
public interface RunningServer extends AutoCloseable {

    /** The address actually bound (with the real port when the spec asked for port 0). */
    InetSocketAddress address();

    /** Live counters; read them at any time from any thread. */
    ServerCounters counters();

    /**
     * Stops accepting, closes every connection, and returns only once the listening port is free,
     * every thread the server started has ended and its buffers are released. Idempotent.
     * Like asyncio's {@code server.close(); await server.wait_closed()}, minus the grace period:
     * in-flight data is dropped.
     */
    @Override
    void close();
}
