package io.asyncbench.virtualthreads;

import io.asyncbench.api.AcceptFailures;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread-per-connection plumbing every blocking workload shares: one acceptor thread blocks in
 * {@code accept()} and hands each connection to a new thread of the same {@link ThreadKind}, which
 * runs the workload's {@link BlockingHandler} start to finish.
 *
 * <p>Threads are started by {@link Executors#newThreadPerTaskExecutor} rather than by hand, so
 * that JDK thread dumps list the virtual ones (under the executor's thread container) and so that
 * {@link #close()} can wait for every one of them to end.
 *
 * <p>No {@code synchronized} anywhere: on JDK 21 to 23 a virtual thread that blocks while holding
 * a monitor pins its carrier (JEP 491 lifted that in JDK 24); a {@link ReentrantLock} never pins.
 */
final class BlockingServer implements RunningServer {

    /** How long close() waits for threads to end once their sockets are closed. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The pause after a failed accept. Out of descriptors (EMFILE) accept() fails at once, so a
     * loop without a pause spins; a failed accept is one system call, so trying again 100 times a
     * second costs nothing measurable and serves again within 10 ms of a descriptor coming back.
     */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(10);

    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final SocketOptions options;
    private final BlockingHandler handler;
    private final ServerCounters counters = new ServerCounters();
    private final AcceptFailures acceptFailures;
    private final ExecutorService acceptorThread;
    private final ExecutorService connectionThreads;
    /** Open connections, so that close() can close them: that is what wakes their threads. */
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final ReentrantLock closeLock = new ReentrantLock();
    /** Set first thing in close(): exceptions after it are the shutdown, not peer errors. */
    private volatile boolean closing;
    private boolean closed; // guarded by closeLock

    private BlockingServer(String strategyId, ThreadKind kind, ServerSocketChannel listener,
                           SocketOptions options, BlockingHandler handler) throws IOException {
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.options = options;
        this.handler = handler;
        this.acceptFailures = new AcceptFailures(address);
        this.acceptorThread = Executors.newThreadPerTaskExecutor(kind.factory(strategyId, "acceptor"));
        this.connectionThreads = Executors.newThreadPerTaskExecutor(kind.factory(strategyId, "conn"));
    }

    /**
     * Binds {@code spec.bindAddress()} and starts accepting; returns once connections are accepted
     * (the kernel queues them from {@code listen} on, before the acceptor thread first runs).
     */
    static BlockingServer start(String strategyId, ThreadKind kind, ServerSpec spec,
                                BlockingHandler handler) throws IOException {
        SocketOptions options = spec.socketOptions();
        // The family follows the address: a default (dual-stack IPv6) socket bound to 127.0.0.1
        // would listen on ::ffff:127.0.0.1 instead of plain IPv4 loopback.
        ProtocolFamily family = spec.bindAddress().getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        ServerSocketChannel listener = ServerSocketChannel.open(family);
        BlockingServer server;
        try {
            options.applyToListener(listener);
            listener.bind(spec.bindAddress(), options.backlog());
            server = new BlockingServer(strategyId, kind, listener, options, handler);
        } catch (IOException | RuntimeException e) {
            listener.close();
            handler.close();
            throw e;
        }
        try {
            server.acceptorThread.execute(server::acceptLoop);
        } catch (RuntimeException | OutOfMemoryError e) {
            server.close(); // no acceptor thread: give the port back
            throw e;
        }
        return server;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public ServerCounters counters() {
        return counters;
    }

    private void acceptLoop() {
        while (!closing) {
            SocketChannel channel;
            try {
                channel = listener.accept(); // blocks (parks, on a virtual thread)
            } catch (IOException | RuntimeException | LinkageError e) {
                if (closing || !listener.isOpen()) {
                    return; // close() closed the listener under us: the normal way out
                }
                // EMFILE and friends are per attempt (a class that failed to load too): report,
                // pause, accept again. The acceptor thread never ends while the listener is open.
                acceptFailures.failed(e);
                backOff();
                continue;
            }
            counters.connectionOpened();
            connections.add(channel);
            try {
                connectionThreads.execute(() -> serve(channel));
            } catch (RejectedExecutionException | OutOfMemoryError e) {
                // OutOfMemoryError "unable to create native thread": the hard limit of thread per
                // connection on platform threads (rejection cannot happen: close() shuts these
                // threads down only after the acceptor has ended). Drop this connection, serve on.
                end(channel, !closing);
            }
        }
    }

    /** A connection's whole life, on its own thread. */
    private void serve(SocketChannel channel) {
        boolean failed = false;
        try {
            options.applyTo(channel);
            handler.serve(channel, counters);
        } catch (IOException e) {
            // Resets, broken pipes and idle timeouts are a peer's doing, counted, not printed.
            // After close() began, the exception is just our own close() waking this thread.
            failed = !closing;
        } catch (InterruptedException e) {
            // Only close() interrupts these threads: the server is going away, not the peer.
        } catch (RuntimeException | Error e) {
            end(channel, true);
            throw e; // a bug: let the thread's uncaught exception handler report it
        }
        end(channel, failed);
    }

    /** Closes a connection and counts it closed: called exactly once per accepted connection. */
    private void end(SocketChannel channel, boolean failed) {
        connections.remove(channel);
        closeQuietly(channel);
        if (failed) {
            counters.error();
        }
        counters.connectionClosed();
    }

    /**
     * Stops accepting, closes every connection (which wakes a thread blocked on its socket with an
     * exception), interrupts the connection threads (which wakes those that sleep or wait for
     * backend calls), waits for every thread to end, then lets the workload free what it holds.
     * Idempotent; concurrent callers all return once it is done.
     */
    @Override
    public void close() {
        closeLock.lock();
        try {
            if (closed) {
                return;
            }
            closing = true;
            closeQuietly(listener);                  // wakes the acceptor out of accept()
            awaitTermination(acceptorThread, "acceptor");
            // The acceptor has ended, so no connection can be added any more: close them all.
            connections.forEach(BlockingServer::closeQuietly);
            connectionThreads.shutdownNow();
            awaitTermination(connectionThreads, "connection");
            handler.close();
            closed = true;
        } finally {
            closeLock.unlock();
        }
    }

    /**
     * Shuts {@code threads} down and waits, bounded, for them to end. Interrupting is the fallback:
     * interrupting a thread blocked in channel IO closes the channel, and handlers treat an
     * interrupt anywhere else as the end of the server.
     */
    static void awaitTermination(ExecutorService threads, String what) {
        threads.shutdown();
        boolean interrupted = false;
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        try {
            while (true) {
                try {
                    if (threads.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    threads.shutdownNow();
                    if (threads.awaitTermination(1, TimeUnit.SECONDS)) {
                        return;
                    }
                    throw new IllegalStateException(what + " threads still alive " + CLOSE_TIMEOUT
                            + " after close()");
                } catch (InterruptedException e) {
                    interrupted = true; // finish closing first; the caller sees the flag again
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void backOff() {
        try {
            Thread.sleep(ACCEPT_BACKOFF);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort: the descriptor is released either way.
        }
    }
}
