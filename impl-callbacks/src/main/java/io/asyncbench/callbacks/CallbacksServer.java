package io.asyncbench.callbacks;

import io.asyncbench.api.AcceptFailures;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every callbacks workload shares: a channel group of {@code ioThreads} named threads, a
 * listener whose accept handler re-arms itself, outgoing connections in the same group, a timer,
 * and the registry of live connections that {@link #close()} closes. A workload only says what to
 * start on each accepted connection.
 */
final class CallbacksServer implements RunningServer {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    /**
     * The pause after a failed accept. Out of descriptors (EMFILE) every accept fails at once, and
     * re-arming at once spun a group thread at 100 % CPU. A failed accept is one system call, so
     * trying again 100 times a second costs nothing measurable and serves again within 10 ms of a
     * descriptor coming back.
     */
    private static final long ACCEPT_BACKOFF_MILLIS = 10;

    private final ServerSpec spec;
    private final AsynchronousChannelGroup group;
    private final CallbacksThreads ioThreads;
    private final ScheduledThreadPoolExecutor timer;
    private final CallbacksThreads timerThreads;
    private final AsynchronousServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ServerCounters counters = new ServerCounters();
    private final Set<CallbacksConnection> connections = ConcurrentHashMap.newKeySet();
    private final AcceptFailures acceptFailures;
    private final Runnable acceptAgain = this::acceptNext;
    private final Object closeLock = new Object();
    private volatile Consumer<CallbacksConnection> protocol;
    private volatile boolean closing;
    private boolean closed;

    /** Accepts one connection, then asks for the next: the accept loop is this handler re-arming. */
    private final CompletionHandler<AsynchronousSocketChannel, Void> acceptor = new CompletionHandler<>() {
        @Override
        public void completed(AsynchronousSocketChannel channel, Void unused) {
            // Re-arm first: while this thread sets the connection up, the others can accept.
            acceptNext();
            accepted(channel);
        }

        @Override
        public void failed(Throwable failure, Void unused) {
            if (!listener.isOpen()) {
                return; // closed by close(): the loop ends
            }
            // EMFILE and friends are per attempt: report, pause on the timer, accept again.
            acceptFailures.failed(failure);
            try {
                timer.schedule(acceptAgain, ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // close() is underway, nothing left to accept for
            }
        }
    };

    private CallbacksServer(ServerSpec spec, AsynchronousChannelGroup group, CallbacksThreads ioThreads,
                            AsynchronousServerSocketChannel listener) throws IOException {
        this.spec = spec;
        this.group = group;
        this.ioThreads = ioThreads;
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.acceptFailures = new AcceptFailures(address);
        // NIO.2 has no way to run a task on the group's threads later, so its users pair the group
        // with a ScheduledExecutorService. One thread, started on first use (the http idle
        // timeout's sweep; echo and proxy never start it). It does no IO but closing idle
        // connections: a write it starts on a fixed-pool group is registered with the group's
        // poller and performed by an io thread (UnixAsynchronousSocketChannelImpl attempts writes
        // on the caller only from a group thread), and handlers run there too.
        this.timerThreads = new CallbacksThreads("timer");
        this.timer = new ScheduledThreadPoolExecutor(1, timerThreads);
        // Deadlines are cancelled on nearly every request: drop them from the queue at once rather
        // than let them sit there until due.
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /** Binds and starts accepting, handing each connection to {@code protocol}. */
    static CallbacksServer start(ServerSpec spec, Consumer<CallbacksConnection> protocol)
            throws IOException {
        return bind(spec).serve(protocol);
    }

    /**
     * Opens the group and binds {@code spec.bindAddress()}; connections wait in the backlog until
     * {@link #serve}. The two steps let a workload build what it shares across connections (a
     * backend pool) on the server before the first connection arrives.
     */
    static CallbacksServer bind(ServerSpec spec) throws IOException {
        CallbacksThreads threads = new CallbacksThreads("io");
        AsynchronousChannelGroup group =
                AsynchronousChannelGroup.withFixedThreadPool(spec.ioThreads(), threads);
        try {
            SocketOptions options = spec.socketOptions();
            AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open(group);
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            listener.bind(spec.bindAddress(), options.backlog());
            return new CallbacksServer(spec, group, threads, listener);
        } catch (IOException | RuntimeException | Error e) {
            terminate(group, threads); // also closes the listener, which belongs to the group
            throw e;
        }
    }

    /**
     * Starts accepting. Each connection is handed to {@code protocol} on a group thread, which
     * must start the connection's first operation and never block.
     */
    CallbacksServer serve(Consumer<CallbacksConnection> protocol) {
        this.protocol = protocol;
        acceptNext();
        return this;
    }

    ServerSpec spec() {
        return spec;
    }

    /** This server's timer; tasks run on its thread and must only start operations, never block. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * Starts watching this server's connections for the spec's idle timeout, on the timer; a
     * workload that times out idle connections calls it once, before {@link #serve}, and reads
     * with {@link CallbacksConnection#readIdle}.
     */
    CallbacksIdleTimeout watchIdleConnections() {
        return CallbacksIdleTimeout.start(spec.limits().idleTimeout(), connections, timer);
    }

    /**
     * An outgoing socket in this server's group, with the spec's socket options, registered so that
     * close() closes it; {@link CallbacksConnection#connect} it next.
     *
     * @throws IOException when no socket can be opened or the server is closing
     */
    CallbacksConnection open() throws IOException {
        AsynchronousSocketChannel channel;
        try {
            channel = AsynchronousSocketChannel.open(group);
        } catch (RuntimeException shutDown) {
            throw new ClosedChannelException(); // the group is shutting down under close()
        }
        CallbacksConnection connection = new CallbacksConnection(channel, counters, connections, false);
        connections.add(connection);
        if (closing) {
            connection.close();
            throw new ClosedChannelException();
        }
        try {
            // Before connecting, so that the buffer sizes shape the window from the SYN on.
            applyOptions(channel);
        } catch (IOException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void acceptNext() {
        try {
            listener.accept(null, acceptor);
        } catch (RuntimeException refused) {
            // ShutdownChannelGroupException: close() is underway, nothing left to accept for.
        }
    }

    private void accepted(AsynchronousSocketChannel channel) {
        counters.connectionOpened();
        CallbacksConnection connection = new CallbacksConnection(channel, counters, connections, true);
        connections.add(connection);
        if (closing) {
            connection.close(); // close() may have swept the registry before this one was in it
            return;
        }
        try {
            applyOptions(channel);
        } catch (IOException e) {
            connection.fail(e);
            return;
        }
        protocol.accept(connection);
    }

    private void applyOptions(NetworkChannel channel) throws IOException {
        SocketOptions options = spec.socketOptions();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public ServerCounters counters() {
        return counters;
    }

    @Override
    public void close() {
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
            connections.forEach(CallbacksConnection::close);
            try {
                stopTimer();
            } finally {
                terminate(group, ioThreads);
            }
        }
    }

    /** Drops pending delays and deadlines (their connections are closed) and waits for the thread. */
    private void stopTimer() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    || !timerThreads.joinAll(deadline)) {
                throw new IllegalStateException("timer thread still running after "
                        + CLOSE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shuts the group down and waits for its threads, so none outlives the server. */
    private static void terminate(AsynchronousChannelGroup group, CallbacksThreads threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        try {
            group.shutdownNow();
            if (!group.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    || !threads.joinAll(deadline)) {
                throw new IllegalStateException("channel group threads still running after "
                        + CLOSE_TIMEOUT_SECONDS + " s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
