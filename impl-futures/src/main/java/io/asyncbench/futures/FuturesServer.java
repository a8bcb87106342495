package io.asyncbench.futures;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.StrategyThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What every futures workload shares: a channel group of {@code ioThreads} named threads whose
 * completions drive every stage, an accept loop, and the registry of live connections that
 * {@link #close()} closes. A workload is a function from a connection to the future of its whole
 * session: when that future completes the connection is closed, normally or as an error.
 */
final class FuturesServer implements RunningServer {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final AsynchronousChannelGroup group;
    private final IoThreads threads;
    private final AsynchronousServerSocketChannel listener;
    private final InetSocketAddress address;
    private final SocketOptions options;
    private final Function<FuturesConnection, CompletableFuture<Void>> session;
    private final ServerCounters counters = new ServerCounters();
    private final Set<FuturesConnection> connections = ConcurrentHashMap.newKeySet();
    private final Object closeLock = new Object();
    private volatile boolean closing;
    private boolean closed;

    private FuturesServer(AsynchronousChannelGroup group, IoThreads threads,
                          AsynchronousServerSocketChannel listener, SocketOptions options,
                          Function<FuturesConnection, CompletableFuture<Void>> session)
            throws IOException {
        this.group = group;
        this.threads = threads;
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.options = options;
        this.session = session;
    }

    /**
     * Binds {@code spec.bindAddress()} and returns once connections are being accepted. Each one is
     * handed to {@code session} on a group thread; the function must not block.
     */
    static FuturesServer start(ServerSpec spec,
                               Function<FuturesConnection, CompletableFuture<Void>> session)
            throws IOException {
        IoThreads threads = new IoThreads();
        AsynchronousChannelGroup group =
                AsynchronousChannelGroup.withFixedThreadPool(spec.ioThreads(), threads);
        try {
            SocketOptions options = spec.socketOptions();
            AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open(group);
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            listener.bind(spec.bindAddress(), options.backlog());
            FuturesServer server = new FuturesServer(group, threads, listener, options, session);
            server.acceptLoop();
            return server;
        } catch (IOException | RuntimeException | Error e) {
            terminate(group, threads); // also closes the listener, which belongs to the group
            throw e;
        }
    }

    private void acceptLoop() {
        FuturesLoop.repeat(() -> FuturesChannels.accept(listener).handle((channel, failure) -> {
            if (channel != null) {
                opened(channel);
            }
            // Until close() closes the listener; a failed accept (EMFILE, ...) is per attempt.
            return listener.isOpen();
        }));
    }

    private void opened(AsynchronousSocketChannel channel) {
        counters.connectionOpened();
        FuturesConnection connection = new FuturesConnection(channel, counters, connections);
        connections.add(connection);
        if (closing) {
            connection.close(); // close() may have swept the registry before this one was in it
            return;
        }
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
            if (options.receiveBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
            }
            session.apply(connection).whenComplete((ended, failure) -> {
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
    private static void terminate(AsynchronousChannelGroup group, IoThreads threads) {
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

    /**
     * The group's thread factory, remembering what it made: the pool's awaitTermination returns
     * while its last thread is still on its way out, and close() promises that none is alive.
     */
    private static final class IoThreads implements ThreadFactory {

        private final ThreadFactory named = StrategyThreads.platform(FuturesStrategy.ID, "io", true);
        private final List<Thread> made = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = named.newThread(task);
            made.add(thread);
            return thread;
        }

        /** Whether every thread made has ended before {@code deadline} (System.nanoTime()). */
        boolean joinAll(long deadline) throws InterruptedException {
            for (Thread thread : made) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
                if (thread.isAlive()) {
                    return false;
                }
            }
            return true;
        }
    }
}
