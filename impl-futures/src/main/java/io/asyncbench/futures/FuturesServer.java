package io.asyncbench.futures;

import io.asyncbench.api.AcceptFailures;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.AsynchronousCloseException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What every futures workload shares: a channel group of {@code ioThreads} named threads whose
 * completions drive every stage, an accept loop, outgoing connections in the same group, and the
 * registry of live connections that {@link #close()} closes. A workload is a {@link Session}: a
 * function from a connection to the future of its whole session; when that future completes, the
 * connection is closed, normally or as an error.
 */
final class FuturesServer implements RunningServer {

    /** The whole life of one accepted connection, as one future. Must not block. */
    @FunctionalInterface
    interface Session {
        CompletableFuture<Void> serve(FuturesConnection connection);
    }

    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    private static final CompletableFuture<Boolean> AGAIN = CompletableFuture.completedFuture(true);
    /**
     * The pause after a failed accept. Out of descriptors (EMFILE) every accept fails at once, and
     * accepting again at once spun a group thread at 100 % CPU. A failed accept is one system
     * call, so trying again 100 times a second costs nothing measurable and serves again within
     * 10 ms of a descriptor coming back.
     */
    private static final long ACCEPT_BACKOFF_MILLIS = 10;

    private final AsynchronousChannelGroup group;
    private final FuturesThreads threads;
    private final Executor loop;
    private final AsynchronousServerSocketChannel listener;
    private final InetSocketAddress address;
    private final SocketOptions options;
    private final Duration idleTimeout;
    private final ServerCounters counters = new ServerCounters();
    private final Set<FuturesConnection> connections = ConcurrentHashMap.newKeySet();
    private final AcceptFailures acceptFailures;
    /** Where the accept loop waits after a failure: a delayed hand-over to the group's threads. */
    private final Executor acceptBackoff;
    private final Object closeLock = new Object();
    private volatile Session session; // set once, before the first accept
    private volatile boolean closing;
    private boolean closed;

    private FuturesServer(AsynchronousChannelGroup group, FuturesThreads threads,
                          AsynchronousServerSocketChannel listener, ServerSpec spec)
            throws IOException {
        this.group = group;
        this.threads = threads;
        this.loop = loopOf(group);
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.options = spec.socketOptions();
        this.idleTimeout = spec.limits().idleTimeout();
        this.acceptFailures = new AcceptFailures(address);
        this.acceptBackoff = CompletableFuture.delayedExecutor(ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS, loop);
    }

    /**
     * Binds {@code spec.bindAddress()} and returns once connections are being accepted. The
     * workload is made once, given the server (for {@link #connect} and {@link #loop()}); each
     * accepted connection is then handed to its session on a group thread.
     */
    static FuturesServer start(ServerSpec spec, Function<FuturesServer, Session> workload)
            throws IOException {
        FuturesThreads threads = new FuturesThreads("io");
        AsynchronousChannelGroup group =
                AsynchronousChannelGroup.withFixedThreadPool(spec.ioThreads(), threads);
        try {
            SocketOptions options = spec.socketOptions();
            AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open(group);
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            listener.bind(spec.bindAddress(), options.backlog());
            FuturesServer server = new FuturesServer(group, threads, listener, spec);
            server.session = workload.apply(server);
            server.acceptLoop();
            return server;
        } catch (IOException | RuntimeException | Error e) {
            terminate(group, threads); // also closes the listener, which belongs to the group
            throw e;
        }
    }

    /**
     * Starts watching this server's connections for the spec's idle timeout, until close(); a
     * workload that times out idle connections calls it once, when it is made, and reads with
     * {@link FuturesConnection#readIdle}.
     */
    FuturesIdleTimeout watchIdleConnections() {
        // The group's state too: a server whose start failed after this was never closed.
        return FuturesIdleTimeout.start(idleTimeout, connections, loop, () -> !closing && !group.isShutdown());
    }

    /** Runs tasks on the group's threads: where a timer's continuation goes to do IO. */
    Executor loop() {
        return loop;
    }

    /**
     * The JDK's channel groups are Executors onto their own threads (AsynchronousChannelGroupImpl
     * implements Executor): continuations that a timer releases run there, where the sockets' IO
     * happens, rather than on the timer's thread. A group that is not (another provider) runs them
     * where they are released. Once the group shuts down it refuses tasks; they then run in place,
     * since the CompletableFuture that hands them over would throw the refusal into whichever
     * thread completed it, a group thread included.
     */
    private static Executor loopOf(AsynchronousChannelGroup group) {
        if (!(group instanceof Executor groupThreads)) {
            return Runnable::run;
        }
        return task -> {
            try {
                groupThreads.execute(task);
            } catch (RejectedExecutionException closing) {
                task.run(); // its IO fails fast on the closed channels
            }
        };
    }

    /**
     * Opens a connection to {@code remote} in this server's group, with the spec's socket options,
     * counted and closed like an accepted one. A refused connect only fails the future: no
     * connection was opened, and the caller knows whether that failure is an error of its own.
     */
    CompletableFuture<FuturesConnection> connect(InetSocketAddress remote) {
        AsynchronousSocketChannel channel = null;
        try {
            channel = AsynchronousSocketChannel.open(group);
            configure(channel); // before connecting: SO_RCVBUF sizes the window it advertises
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            return CompletableFuture.failedFuture(e);
        }
        AsynchronousSocketChannel connecting = channel;
        return FuturesChannels.connect(connecting, remote).handle((connected, failure) -> {
            if (failure != null) {
                closeQuietly(connecting);
                throw new CompletionException(FuturesLoop.unwrap(failure));
            }
            FuturesConnection connection = register(connecting);
            if (!connection.isOpen()) {
                throw new CompletionException(new AsynchronousCloseException());
            }
            return connection;
        });
    }

    private void acceptLoop() {
        FuturesLoop.repeat(() -> FuturesChannels.accept(listener)
                .handle(this::acceptedOrBackOff)
                .thenCompose(Function.identity()));
    }

    /**
     * One accept's outcome: accept again at once, stop (close() closed the listener), or, after a
     * failed accept (EMFILE, ...), report it and accept again after a pause.
     */
    private CompletableFuture<Boolean> acceptedOrBackOff(AsynchronousSocketChannel channel, Throwable failure) {
        if (channel != null) {
            opened(channel);
            return AGAIN;
        }
        if (!listener.isOpen()) {
            return FuturesLoop.STOP;
        }
        acceptFailures.failed(FuturesLoop.unwrap(failure));
        return CompletableFuture.supplyAsync(() -> true, acceptBackoff);
    }

    private void opened(AsynchronousSocketChannel channel) {
        FuturesConnection connection = register(channel);
        if (!connection.isOpen()) {
            return;
        }
        try {
            configure(channel);
            session.serve(connection).whenComplete((ended, failure) -> {
                if (failure == null) {
                    connection.close();
                } else {
                    connection.fail(failure);
                }
            });
        } catch (IOException | RuntimeException e) {
            connection.fail(e);
        }
    }

    /** Counts and registers a new connection; one made while closing is closed at once. */
    private FuturesConnection register(AsynchronousSocketChannel channel) {
        counters.connectionOpened();
        FuturesConnection connection = new FuturesConnection(channel, counters, connections);
        connections.add(connection);
        if (closing) {
            connection.close(); // close() may have swept the registry before this one was in it
        }
        return connection;
    }

    private void configure(AsynchronousSocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
    }

    private static void closeQuietly(AsynchronousSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Never opened as a connection: nothing to count.
            }
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
            connections.forEach(FuturesConnection::close);
            terminate(group, threads);
        }
    }

    /** Shuts the group down and waits for its threads, so none outlives the server. */
    private static void terminate(AsynchronousChannelGroup group, FuturesThreads threads) {
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
