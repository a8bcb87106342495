package io.asyncbench.selector;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * asyncio's {@code Server} from {@code loop.create_server(protocol_factory)}, spread over
 * {@code spec.ioThreads()} loops: loop 0 accepts, each accepted socket is handed round-robin to a
 * loop with {@link SelectorEventLoop#callSoonThreadsafe}, and that loop owns the connection for
 * its whole life. Every workload is a protocol factory given to {@link #start}; the factory gets
 * the server's counters, where a workload counts what only it knows (requests, protocol errors).
 */
final class SelectorServer implements RunningServer {

    /**
     * asyncio's ACCEPT_RETRY_DELAY: after a failed accept (EMFILE: out of descriptors), stop
     * watching the listener for a second. The JDK's selector is level-triggered, so a listener
     * with connections waiting would otherwise wake the loop at once, every time, and spin it.
     */
    private static final Duration ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

    private final SelectorLoopGroup loops;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final SocketOptions options;
    private final Function<ServerCounters, ? extends Protocol> protocolFactory;
    private final ServerCounters counters = new ServerCounters();
    private final AcceptFailures acceptFailures;
    private final Runnable onAcceptable = this::acceptReady;
    private final Runnable startServing = this::startServing;
    private int nextLoop; // only touched on loop 0
    private boolean closed;

    private SelectorServer(SelectorLoopGroup loops, ServerSocketChannel listener, ServerSpec spec,
                           Function<ServerCounters, ? extends Protocol> protocolFactory)
            throws IOException {
        this.loops = loops;
        this.listener = listener;
        this.address = (InetSocketAddress) listener.getLocalAddress();
        this.options = spec.socketOptions();
        this.protocolFactory = protocolFactory;
        this.acceptFailures = new AcceptFailures(address);
    }

    /** {@link #start(String, ServerSpec, Function)} for a protocol that counts nothing itself. */
    static SelectorServer start(String strategyId, ServerSpec spec,
                                Supplier<? extends Protocol> protocolFactory) throws IOException {
        return start(strategyId, spec, counters -> protocolFactory.get());
    }

    /**
     * Binds, starts the loops, and returns once loop 0 is accepting. {@code protocolFactory} runs
     * on the loop that will own the connection, once per accepted connection.
     */
    static SelectorServer start(String strategyId, ServerSpec spec,
                                Function<ServerCounters, ? extends Protocol> protocolFactory)
            throws IOException {
        SelectorLoopGroup loops = new SelectorLoopGroup(strategyId, spec.ioThreads(), spec.limits());
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open(family(spec.bindAddress()));
            spec.socketOptions().applyToListener(listener);
            listener.configureBlocking(false);
            listener.bind(spec.bindAddress(), spec.socketOptions().backlog());
            SelectorServer server = new SelectorServer(loops, listener, spec, protocolFactory);
            SelectorEventLoop acceptor = loops.get(0);
            ServerSocketChannel channel = listener;
            await(acceptor.submit(server::startServing));
            return server;
        } catch (IOException | RuntimeException e) {
            SelectorEventLoop.closeQuietly(listener);
            loops.close();
            throw e;
        }
    }

    /** The bind address's own family: an IPv4 address gets an IPv4 socket, not a dual-stack one. */
    private static ProtocolFamily family(InetSocketAddress bindAddress) {
        return bindAddress.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public ServerCounters counters() {
        return counters;
    }

    /** On loop 0: watch the listener (again) for connections to accept, unless close() closed it. */
    private void startServing() {
        if (listener.isOpen()) {
            loops.get(0).addReader(listener, onAcceptable);
        }
    }

    /** On loop 0: accept what the backlog holds (asyncio takes up to backlog per event too). */
    private void acceptReady() {
        for (int i = 0; i < options.backlog(); i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException | RuntimeException | LinkageError e) {
                // EMFILE and friends, as asyncio's _accept_connection: report, stop watching the
                // listener, and watch it again after the delay. The listener stays open.
                acceptFailures.failed(e);
                SelectorEventLoop acceptor = loops.get(0);
                acceptor.removeReader(listener);
                acceptor.callLater(ACCEPT_RETRY_DELAY, startServing);
                return;
            }
            if (channel == null) {
                return;
            }
            counters.connectionOpened();
            try {
                configure(channel);
            } catch (IOException e) {
                SelectorEventLoop.closeQuietly(channel); // reset before we got to it
                counters.error();
                counters.connectionClosed();
                continue;
            }
            SelectorEventLoop owner = loops.get(nextLoop);
            nextLoop = (nextLoop + 1) % loops.size();
            if (owner.inEventLoop()) {
                connectionAccepted(owner, channel);
            } else {
                owner.callSoonThreadsafe(() -> connectionAccepted(owner, channel));
            }
        }
    }

    private void configure(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        options.applyTo(channel);
    }

    /** On the owning loop: from here on the connection lives on this loop only. */
    private void connectionAccepted(SelectorEventLoop owner, SocketChannel channel) {
        Protocol protocol;
        try {
            protocol = protocolFactory.apply(counters);
        } catch (RuntimeException e) {
            owner.callExceptionHandler("protocol factory failed", e);
            SelectorEventLoop.closeQuietly(channel);
            counters.error();
            counters.connectionClosed();
            return;
        }
        new SelectorSocketTransport(owner, channel, protocol, counters);
    }

    /**
     * Stops accepting on loop 0 first, so every accepted socket is already queued to its loop;
     * then stops the loops, which abort their transports as they close, and awaits their threads.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            SelectorEventLoop acceptor = loops.get(0);
            await(acceptor.submit(() -> {
                acceptor.removeReader(listener);
                SelectorEventLoop.closeQuietly(listener);
            }));
        } catch (IOException | RuntimeException e) {
            SelectorEventLoop.closeQuietly(listener);
        } finally {
            loops.close(); // closing the selectors releases the listener's port
        }
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the loop did not answer in 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "SelectorServer[" + address + ", " + loops.size() + " loops, " + counters + "]";
    }
}
