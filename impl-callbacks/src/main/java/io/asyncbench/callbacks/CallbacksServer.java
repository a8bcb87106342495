package io.asyncbench.callbacks;

import io.asyncbench.api.AcceptFailures;
import io.asyncbench.api.ChannelGroupListener;
import io.asyncbench.api.JoinableThreads;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every callbacks workload shares: an accept handler that re-arms itself on api's
 * {@link ChannelGroupListener} (the channel group, the listener, the registry of live connections
 * and the closing of all three), outgoing connections in the same group, and a timer. A workload
 * only says what to start on each accepted connection.
 */
final class CallbacksServer implements RunningServer {

    /**
     * The pause after a failed accept. Out of descriptors (EMFILE) every accept fails at once, and
     * re-arming at once spun a group thread at 100 % CPU. A failed accept is one system call, so
     * trying again 100 times a second costs nothing measurable and serves again within 10 ms of a
     * descriptor coming back.
     */
    private static final long ACCEPT_BACKOFF_MILLIS = 10;

    private final ServerSpec spec;
    private final ChannelGroupListener<CallbacksConnection> channels;
    private final ScheduledThreadPoolExecutor timer;
    private final JoinableThreads timerThreads;
    private final ServerCounters counters = new ServerCounters();
    private final AcceptFailures acceptFailures;
    private final Runnable acceptAgain = this::acceptNext;
    private volatile Consumer<CallbacksConnection> protocol;

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
            if (!channels.listener().isOpen()) {
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

    private CallbacksServer(ServerSpec spec, ChannelGroupListener<CallbacksConnection> channels) {
        this.spec = spec;
        this.channels = channels;
        this.acceptFailures = new AcceptFailures(channels.address());
        // NIO.2 has no way to run a task on the group's threads later, so its users pair the group
        // with a ScheduledExecutorService. One thread, started on first use (the http idle
        // timeout's sweep; echo and proxy never start it). It does no IO but closing idle
        // connections: a write it starts on a fixed-pool group is registered with the group's
        // poller and performed by an io thread (UnixAsynchronousSocketChannelImpl attempts writes
        // on the caller only from a group thread), and handlers run there too.
        this.timerThreads = new JoinableThreads(CallbacksStrategy.ID, "timer");
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
        return new CallbacksServer(spec, ChannelGroupListener.bind(CallbacksStrategy.ID, spec, CallbacksConnection::close));
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
        return CallbacksIdleTimeout.start(spec.limits().idleTimeout(), channels.connections(), timer);
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
            channel = AsynchronousSocketChannel.open(channels.group());
        } catch (RuntimeException shutDown) {
            throw new ClosedChannelException(); // the group is shutting down under close()
        }
        CallbacksConnection connection = new CallbacksConnection(channel, counters, channels.connections(), false);
        if (!channels.register(connection)) {
            throw new ClosedChannelException();
        }
        try {
            // Before connecting, so that the buffer sizes shape the window from the SYN on.
            spec.socketOptions().applyTo(channel);
        } catch (IOException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private void acceptNext() {
        try {
            channels.listener().accept(null, acceptor);
        } catch (RuntimeException refused) {
            // ShutdownChannelGroupException: close() is underway, nothing left to accept for.
        }
    }

    private void accepted(AsynchronousSocketChannel channel) {
        counters.connectionOpened();
        CallbacksConnection connection = new CallbacksConnection(channel, counters, channels.connections(), true);
        if (!channels.register(connection)) {
            return;
        }
        try {
            spec.socketOptions().applyTo(channel);
        } catch (IOException e) {
            connection.fail(e);
            return;
        }
        protocol.accept(connection);
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
        channels.close(this::stopTimer);
    }

    /** Drops pending delays and deadlines (their connections are closed) and waits for the thread. */
    private void stopTimer() {
        timer.shutdownNow();
        timerThreads.terminate("timer", timer::awaitTermination);
    }
}
