package io.asyncbench.reactor;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.netty.support.NettyAcceptBackoff;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import reactor.core.Disposable;
import reactor.netty.DisposableServer;
import reactor.netty.transport.ServerTransport;

/**
 * Binds a reactor-netty server (a {@code TcpServer} or an {@code HttpServer}, configured by its
 * workload) on the server's own {@link ReactorLoops} with the spec's options, and closes all of
 * it: the listener, every connection, what the workload made (connection pools, schedulers),
 * then the loops, whose threads it waits for.
 */
final class ReactorServer implements RunningServer {

    private final DisposableServer server;
    private final ChannelGroup channels;
    private final ReactorLoops loops;
    private final ServerCounters counters;
    private final List<Disposable> owned;
    private final ReactorConnections connections;
    private boolean closed;

    private ReactorServer(DisposableServer server, ChannelGroup channels, ReactorLoops loops,
                          ReactorConnections connections, List<Disposable> owned) {
        this.connections = connections;
        ServerCounters counters = connections.counters();
        this.server = server;
        this.channels = channels;
        this.loops = loops;
        this.counters = counters;
        this.owned = owned;
    }

    /** The loops of a server for {@code spec}: its whole IO thread budget. */
    static ReactorLoops loops(ServerSpec spec) {
        return new ReactorLoops(ReactorStrategy.ID, "io", spec.ioThreads());
    }

    /**
     * Binds {@code transport} for {@code spec}; {@code owned} are disposed on close, before the
     * loops. Returns once the server is accepting; on failure everything is disposed.
     */
    static <T extends ServerTransport<T, ?>> ReactorServer bind(T transport, ReactorLoops loops,
            ReactorConnections connections, boolean halfClosure, Disposable... owned) throws IOException {
        ServerSpec spec = connections.spec();
        SocketOptions options = spec.socketOptions();
        ChannelGroup channels = new DefaultChannelGroup(ReactorStrategy.ID, ImmediateEventExecutor.INSTANCE);
        T configured = transport
                .runOn(loops)
                .bindAddress(spec::bindAddress)
                .option(ChannelOption.SO_REUSEADDR, options.reuseAddress())
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .doOnChannelInit((observer, channel, remote) -> {
                    channels.add(channel);
                    connections.accepted(channel);
                });
        for (var option : connections.connectionOptions(halfClosure).entrySet()) {
            configured = configured.childOption(untyped(option.getKey()), option.getValue());
        }
        List<Disposable> resources = new ArrayList<>(List.of(owned));
        DisposableServer server;
        try {
            server = configured.bindNow(ReactorLoops.CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            resources.forEach(Disposable::dispose);
            loops.disposeLater(java.time.Duration.ZERO, ReactorLoops.CLOSE_TIMEOUT).block();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof IOException io ? io : new IOException("could not bind " + spec.bindAddress(), e);
        }
        server.channel().pipeline().addFirst("asyncbench.acceptBackoff", new NettyAcceptBackoff());
        return new ReactorServer(server, channels, loops, connections, resources);
    }

    @SuppressWarnings("unchecked")
    static ChannelOption<Object> untyped(ChannelOption<?> option) {
        return (ChannelOption<Object>) option;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    @Override
    public ServerCounters counters() {
        return counters;
    }

    /**
     * The listener first (the port is free and nothing new arrives), then every connection, what
     * the workload owns, and the loops, waiting for their threads: nothing is left running.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        connections.closeAll();
        server.disposeNow(ReactorLoops.CLOSE_TIMEOUT);
        channels.close().awaitUninterruptibly(ReactorLoops.CLOSE_TIMEOUT.toMillis());
        owned.forEach(Disposable::dispose);
        loops.disposeLater(java.time.Duration.ZERO, ReactorLoops.CLOSE_TIMEOUT).block();
    }
}
