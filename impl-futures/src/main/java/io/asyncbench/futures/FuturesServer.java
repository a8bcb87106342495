package io.asyncbench.futures;

import io.asyncbench.api.AcceptFailures;
import io.asyncbench.api.ChannelGroupListener;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What every futures workload shares: an accept loop of futures on api's
 * {@link ChannelGroupListener} (the channel group whose completions drive every stage, the
 * listener, the registry of live connections and the closing of all three), and outgoing
 * connections in the same group. A workload is a {@link Session}: a
 * function from a connection to the future of its whole session; when that future completes, the
 * connection is closed, normally or as an error.
 */
final class FuturesServer implements RunningServer {

    /** The whole life of one accepted connection, as one future. Must not block. */
    @FunctionalInterface
    interface Session {
        CompletableFuture<Void> serve(FuturesConnection connection);
    }

    private static final CompletableFuture<Boolean> AGAIN = CompletableFuture.completedFuture(true);
    /**
     * The pause after a failed accept. Out of descriptors (EMFILE) every accept fails at once, and
     * accepting again at once spun a group thread at 100 % CPU. A failed accept is one system
     * call, so trying again 100 times a second costs nothing measurable and serves again within
     * 10 ms of a descriptor coming back.
     */
    private static final long ACCEPT_BACKOFF_MILLIS = 10;

    private final ChannelGroupListener<FuturesConnection> channels;
    private final Executor loop;
    private final SocketOptions options;
    private final Duration idleTimeout;
    private final ServerCounters counters = new ServerCounters();
    private final AcceptFailures acceptFailures;
    /** Where the accept loop waits after a failure: a delayed hand-over to the group's threads. */
    private final Executor acceptBackoff;
    private volatile Session session; // set once, before the first accept

    private FuturesServer(ChannelGroupListener<FuturesConnection> channels, ServerSpec spec) {
        this.channels = channels;
        this.loop = loopOf(channels.group());
        this.options = spec.socketOptions();
        this.idleTimeout = spec.limits().idleTimeout();
        this.acceptFailures = new AcceptFailures(channels.address());
        this.acceptBackoff = CompletableFuture.delayedExecutor(ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS, loop);
    }

    /**
     * Binds {@code spec.bindAddress()} and returns once connections are being accepted. The
     * workload is made once, given the server (for {@link #connect} and {@link #loop()}); each
     * accepted connection is then handed to its session on a group thread.
     */
    static FuturesServer start(ServerSpec spec, Function<FuturesServer, Session> workload)
            throws IOException {
        ChannelGroupListener<FuturesConnection> channels =
                ChannelGroupListener.bind(FuturesStrategy.ID, spec, FuturesConnection::close);
        try {
            FuturesServer server = new FuturesServer(channels, spec);
            server.session = workload.apply(server);
            server.acceptLoop();
            return server;
        } catch (RuntimeException | Error e) {
            channels.close(() -> { });
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
        AsynchronousChannelGroup group = channels.group();
        return FuturesIdleTimeout.start(idleTimeout, channels.connections(), loop,
                () -> !channels.closing() && !group.isShutdown());
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
            channel = AsynchronousSocketChannel.open(channels.group());
            options.applyTo(channel); // before connecting: SO_RCVBUF sizes the window it advertises
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
        FuturesLoop.repeat(() -> FuturesChannels.accept(channels.listener())
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
        if (!channels.listener().isOpen()) {
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
            options.applyTo(channel);
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
        FuturesConnection connection = new FuturesConnection(channel, counters, channels.connections());
        channels.register(connection); // closed at once while closing: the caller sees it closed
        return connection;
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
        return channels.address();
    }

    @Override
    public ServerCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        channels.close(() -> { });
    }
}
