package io.asyncbench.netty;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.netty.support.NettyAcceptBackoff;
import io.asyncbench.netty.support.NettyLoopGroup;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The plumbing every Netty workload shares: one event loop group, a {@link ServerBootstrap} with
 * the spec's options, the pipeline frame of {@link NettyPlumbing} around the workload's handlers
 * on each connection, and a {@link #close()} that leaves nothing behind. A workload is only the
 * handlers it adds to the pipeline.
 */
final class NettyServer implements RunningServer {

    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final NettyLoopGroup loops;
    private final ServerCounters counters;
    private final InetSocketAddress address;
    private boolean closed;

    private NettyServer(Channel serverChannel, ChannelGroup channels, NettyLoopGroup loops,
                        ServerCounters counters) {
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.loops = loops;
        this.counters = counters;
        this.address = (InetSocketAddress) serverChannel.localAddress();
    }

    /** A server whose connections get the handlers {@code workload} adds; needs no shared pieces. */
    static NettyServer start(String strategyId, NettyTransport transport, ServerSpec spec,
                             Consumer<ChannelPipeline> workload) throws IOException {
        return start(strategyId, transport, spec, plumbing -> workload);
    }

    /**
     * Binds a server for {@code spec} on {@code transport}; {@code workload}, given the server's
     * shared {@link NettyPlumbing} once, says which handlers each accepted connection gets.
     * Returns once the server is accepting.
     */
    static NettyServer start(String strategyId, NettyTransport transport, ServerSpec spec,
                             Function<NettyPlumbing, Consumer<ChannelPipeline>> workload)
            throws IOException {
        // One group for the acceptor and the connections alike: the IO thread budget is the same
        // for every strategy, and a separate boss thread would be one more than the others get.
        // Outgoing connections (gateway, proxy) run on these loops too.
        NettyLoopGroup loops = NettyLoopGroup.start(strategyId, "io", spec.ioThreads(), transport.ioHandlerFactory());
        ServerCounters counters = new ServerCounters();
        NettyPlumbing plumbing = new NettyPlumbing(spec, transport, counters);
        Consumer<ChannelPipeline> handlers = workload.apply(plumbing);
        // Immediate executor: the group's futures are only awaited, so no notifier thread is needed.
        ChannelGroup channels = new DefaultChannelGroup(strategyId, ImmediateEventExecutor.INSTANCE);

        SocketOptions options = spec.socketOptions();
        SocketProtocolFamily family = spec.bindAddress().getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        ChannelFactory<ServerChannel> listener = () -> transport.newServerChannel(family);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channelFactory(listener)
                .option(ChannelOption.SO_REUSEADDR, options.reuseAddress())
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .handler(new NettyAcceptBackoff())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        plumbing.initAccepted(channel, handlers);
                    }
                });
        plumbing.applyTo(bootstrap);

        ChannelFuture bound = bootstrap.bind(spec.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.close();
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io
                    : new IOException("could not bind " + spec.bindAddress(), cause);
        }
        channels.add(bound.channel());
        return new NettyServer(bound.channel(), channels, loops, counters);
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
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The listening channel first: the port is free, and no connection arrives while the
        // others are being closed. Outgoing connections close with their loops.
        serverChannel.close().awaitUninterruptibly();
        channels.close().awaitUninterruptibly(NettyLoopGroup.CLOSE_TIMEOUT.toMillis());
        loops.close();
    }
}
