package io.asyncbench.netty;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.netty.support.NettyByteCounter;
import io.asyncbench.netty.support.NettyConnectionOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketProtocolFamily;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What every connection of one server shares, whether the server accepted it or opened it itself
 * (a gateway's backend calls, a proxy's backend side): the spec's socket options, the counters,
 * and the pipeline frame {@code [byte counter] [workload handlers...] [error handler]}. A workload
 * is only the handlers it puts inside that frame; workloads that connect out take their client
 * {@link Bootstrap}s from here, so outgoing connections are configured and counted like accepted
 * ones.
 */
final class NettyPlumbing {

    /*
     * Pooled direct buffers from Netty's jemalloc-style allocator, chosen over 4.2's default
     * adaptive one: an echo buffer is allocated and released on the same loop, which the pooled
     * allocator's per-thread caches serve best. Measured (JDK 25, bytes allocated on the loop
     * thread per echo round trip): NIO 77 B pooled vs 140 B adaptive; epoll 17 B either way.
     */
    private static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private final ServerSpec spec;
    private final NettyTransport transport;
    private final ServerCounters counters;
    private final NettyErrorHandler errors;
    private final Map<ChannelOption<?>, Object> connectionOptions;
    private final OutgoingCounter outgoingCounter;

    NettyPlumbing(ServerSpec spec, NettyTransport transport, ServerCounters counters) {
        this.spec = spec;
        this.transport = transport;
        this.counters = counters;
        this.errors = new NettyErrorHandler(counters);
        this.connectionOptions = connectionOptions(spec);
        this.outgoingCounter = new OutgoingCounter(counters);
    }

    ServerSpec spec() {
        return spec;
    }

    Limits limits() {
        return spec.limits();
    }

    ServerCounters counters() {
        return counters;
    }

    /** The spec's options, on every connection the server accepts. */
    void applyTo(ServerBootstrap bootstrap) {
        connectionOptions.forEach((option, value) -> bootstrap.childOption(untyped(option), value));
    }

    /** An accepted connection: counted, then framed around the workload's handlers. */
    void initAccepted(Channel channel, Consumer<ChannelPipeline> handlers) {
        counters.connectionOpened();
        channel.closeFuture().addListener((ChannelFutureListener) closed -> counters.connectionClosed());
        frame(channel.pipeline(), handlers);
    }

    /**
     * A client bootstrap to {@code remote} on {@code loop} with the spec's socket options and no
     * handler yet. The loop is the caller's own: a connection's backend side then lives on the
     * same thread as the connection, so relaying between them needs no hand-off and no lock.
     */
    Bootstrap bootstrap(EventLoop loop, InetSocketAddress remote) {
        SocketProtocolFamily family = remote.getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(() -> transport.newSocketChannel(family))
                .remoteAddress(remote);
        connectionOptions.forEach((option, value) -> bootstrap.option(untyped(option), value));
        return bootstrap;
    }

    /** {@link #bootstrap} whose connections get {@code handlers}, framed by {@link #initOutgoing}. */
    Bootstrap connector(EventLoop loop, InetSocketAddress remote, Consumer<ChannelPipeline> handlers) {
        return bootstrap(loop, remote).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                initOutgoing(channel, handlers);
            }
        });
    }

    /**
     * An outgoing connection, set up when it is created, before it connects: counted once
     * established, then framed around the workload's handlers like an accepted one.
     */
    void initOutgoing(Channel channel, Consumer<ChannelPipeline> handlers) {
        channel.pipeline().addLast("connections", outgoingCounter);
        frame(channel.pipeline(), handlers);
    }

    private void frame(ChannelPipeline pipeline, Consumer<ChannelPipeline> handlers) {
        pipeline.addLast(NettyByteCounter.NAME, new NettyByteCounter(counters));
        handlers.accept(pipeline);
        pipeline.addLast("errors", errors);
    }

    /**
     * The spec's options, half-closure on (the workload decides when the connection ends: echo,
     * once everything read is written back; proxy, once both directions are done), and the
     * server's allocator.
     */
    private static Map<ChannelOption<?>, Object> connectionOptions(ServerSpec spec) {
        Map<ChannelOption<?>, Object> map = NettyConnectionOptions.of(spec, true);
        map.put(ChannelOption.ALLOCATOR, ALLOCATOR);
        return map;
    }

    /** The options are a heterogeneous map, as inside Netty's own bootstraps. */
    @SuppressWarnings("unchecked")
    private static ChannelOption<Object> untyped(ChannelOption<?> option) {
        return (ChannelOption<Object>) option;
    }

    /**
     * Counts an outgoing connection when it is established and when it ends, each exactly once:
     * a refused one was never opened, so it is neither.
     */
    @Sharable
    private static final class OutgoingCounter extends ChannelInboundHandlerAdapter {

        private final ServerCounters counters;

        OutgoingCounter(ServerCounters counters) {
            this.counters = counters;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            counters.connectionOpened();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            counters.connectionClosed();
            ctx.fireChannelInactive();
        }
    }
}
