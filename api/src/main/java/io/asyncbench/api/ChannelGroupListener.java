package io.asyncbench.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The NIO.2 plumbing of a server that the callbacks and the futures strategies share, since both
 * sit on {@code java.nio.channels.Asynchronous*} and differ only in how they wait for a
 * completion: a channel group of {@link ServerSpec#ioThreads()} named threads, a listener bound
 * in it with the spec's {@link SocketOptions}, the registry of live connections, and the one way
 * to close all of that. How to accept (a handler that re-arms itself, a loop of futures) and what
 * a connection is stay with each strategy.
 *
 * <p>{@link #close} stops accepting, closes every registered connection, and returns only once
 * the group's threads have ended: what {@link RunningServer#close()} promises.
 *
 * @param <C> the strategy's connection type
 */
public final class ChannelGroupListener<C> {

    private final JoinableThreads threads;
    private final AsynchronousChannelGroup group;
    private final AsynchronousServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Set<C> connections = ConcurrentHashMap.newKeySet();
    private final Consumer<? super C> closeConnection;
    private final Object closeLock = new Object();
    private volatile boolean closing;
    private boolean closed;

    private ChannelGroupListener(JoinableThreads threads, AsynchronousChannelGroup group,
                                 AsynchronousServerSocketChannel listener, Consumer<? super C> closeConnection)
            throws IOException {
        this.threads = threads;
        this.group = group;
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.closeConnection = closeConnection;
    }

    /**
     * Opens a group of {@code spec.ioThreads()} threads named {@code asyncbench-<strategyId>-io-<n>}
     * and binds {@code spec.bindAddress()} in it. Connections wait in the backlog until the
     * strategy accepts them. On failure nothing is left open.
     *
     * @param closeConnection how {@link #close} closes a registered connection
     */
    public static <C> ChannelGroupListener<C> bind(String strategyId, ServerSpec spec,
                                                   Consumer<? super C> closeConnection) throws IOException {
        JoinableThreads threads = new JoinableThreads(strategyId, "io");
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(spec.ioThreads(), threads);
        try {
            SocketOptions options = spec.socketOptions();
            AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open(group);
            options.applyToListener(listener);
            listener.bind(spec.bindAddress(), options.backlog());
            return new ChannelGroupListener<>(threads, group, listener, closeConnection);
        } catch (IOException | RuntimeException | Error e) {
            terminate(group, threads); // also closes the listener, which belongs to the group
            throw e;
        }
    }

    public AsynchronousChannelGroup group() {
        return group;
    }

    public AsynchronousServerSocketChannel listener() {
        return listener;
    }

    /** The address bound, with the real port. */
    public InetSocketAddress address() {
        return address;
    }

    /** The live connections; a connection removes itself when it closes. */
    public Set<C> connections() {
        return connections;
    }

    /** True once {@link #close} has begun: no new connection may start. */
    public boolean closing() {
        return closing;
    }

    /**
     * Registers a new connection (accepted or outgoing) so that {@link #close} closes it. One made
     * while closing is closed at once, since close() may have swept the registry before it was in.
     *
     * @return false when it was closed at once
     */
    public boolean register(C connection) {
        connections.add(connection);
        if (closing) {
            closeConnection.accept(connection);
            return false;
        }
        return true;
    }

    /**
     * Stops accepting, closes every connection, runs {@code beforeShutdown} (a strategy's own
     * timer, stopped while the group still runs its handlers), then shuts the group down and waits
     * for its threads. Idempotent.
     */
    public void close(Runnable beforeShutdown) {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            try {
                listener.close();
            } catch (IOException ignored) {
                // The group's shutdown below closes it in any case.
            }
            connections.forEach(closeConnection);
            try {
                beforeShutdown.run();
            } finally {
                terminate(group, threads);
            }
        }
    }

    /** Shuts the group down and waits for its threads, so none outlives the server. */
    private static void terminate(AsynchronousChannelGroup group, JoinableThreads threads) {
        try {
            group.shutdownNow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.terminate("channel group", group::awaitTermination);
    }
}
