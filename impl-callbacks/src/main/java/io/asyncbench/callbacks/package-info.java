/**
 * The {@code callbacks} strategy: NIO.2 asynchronous channels in a fixed-size
 * {@link java.nio.channels.AsynchronousChannelGroup}, driven by
 * {@link java.nio.channels.CompletionHandler}s (the proactor pattern; asyncio's proactor event
 * loop). A connection's code is a chain: each handler starts the next operation and returns.
 *
 * <p>{@code CallbacksServer} and {@code CallbacksConnection} are the plumbing every workload shares
 * (group, accept loop, outgoing connections, a timer, life cycle, counting, closing), and
 * {@code CallbacksIdleTimeout} the idle timeout of a server's connections, checked lazily, and
 * {@code OutputBuffers} the buffers it lends a connection while it writes;
 * {@code Callbacks<Workload>Server} files and {@code CallbacksTimers} hold only the workload.
 */
package io.asyncbench.callbacks;
