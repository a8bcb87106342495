package io.asyncbench.netty;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.StrategyThreads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The plumbing every Netty workload shares: one event loop group, a {@link ServerBootstrap} with
 * the spec's options, a pipeline of {@code [byte counter] [workload handlers...] [error handler]}
 * per connection, and a {@link #close()} that leaves nothing behind. A workload is only the
 * handlers it adds to the pipeline.
 */
final class NettyServer implements RunningServer {

    /** How long close() waits for the loops to end; the contract asks for a bounded wait. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /*
     * Pooled direct buffers from Netty's jemalloc-style allocator, chosen over 4.2's default
     * adaptive one: an echo buffer is allocated and released on the same loop, which the pooled
     * allocator's per-thread caches serve best. Measured (JDK 25, bytes allocated on the loop
     * thread per echo round trip): NIO 77 B pooled vs 140 B adaptive; epoll 17 B either way.
     */
    private static final ByteBufAllocator ALLOCATOR = PooledByteBufAllocator.DEFAULT;

    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final EventLoopGroup group;
    private final List<Thread> loopThreads;
    private final ServerCounters counters;
    private final InetSocketAddress address;
    private boolean closed;

    private NettyServer(Channel serverChannel, ChannelGroup channels, EventLoopGroup group,
                        List<Thread> loopThreads, ServerCounters counters) {
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.group = group;
        this.loopThreads = loopThreads;
        this.counters = counters;
        this.address = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds a server for {@code spec} on {@code transport}; each accepted connection gets the
     * handlers {@code workload} adds. Returns once the server is accepting.
     */
    static NettyServer start(String strategyId, NettyTransport transport, ServerSpec spec,
                             Consumer<ChannelPipeline> workload) throws IOException {
        List<Thread> loopThreads = new CopyOnWriteArrayList<>();
        // One group for the acceptor and the connections alike: the IO thread budget is the same
        // for every strategy, and a separate boss thread would be one more than the others get.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(spec.ioThreads(),
                loopThreadFactory(strategyId, loopThreads), transport.ioHandlerFactory());
        ServerCounters counters = new ServerCounters();
        // Immediate executor: the group's futures are only awaited, so no notifier thread is needed.
        ChannelGroup channels = new DefaultChannelGroup(strategyId, ImmediateEventExecutor.INSTANCE);
        NettyErrorHandler errorHandler = new NettyErrorHandler(counters);
        ChannelFutureListener countClose = closeFuture -> counters.connectionClosed();

        SocketOptions options = spec.socketOptions();
        Limits limits = spec.limits();
        SocketProtocolFamily family = spec.bindAddress().getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        ChannelFactory<ServerChannel> listener = () -> transport.newServerChannel(family);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channelFactory(listener)
                .option(ChannelOption.SO_REUSEADDR, options.reuseAddress())
                .option(ChannelOption.SO_BACKLOG, options.backlog())
                .childOption(ChannelOption.TCP_NODELAY, options.tcpNoDelay())
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                // Netty's adaptive read sizing, capped so that one read is at most readBufferSize.
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        Math.min(64, limits.readBufferSize()), Math.min(2048, limits.readBufferSize()),
                        limits.readBufferSize()))
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        limits.writeLowWaterMark(), limits.writeHighWaterMark()))
                // On EOF Netty fires ChannelInputShutdownEvent instead of closing: the workload
                // decides when the connection ends (echo: once everything read is written back).
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        counters.connectionOpened();
                        channel.closeFuture().addListener(countClose);
                        channels.add(channel);
                        ChannelPipeline pipeline = channel.pipeline();
                        pipeline.addLast("bytes", new NettyByteCounter(counters));
                        workload.accept(pipeline);
                        pipeline.addLast("errors", errorHandler);
                    }
                });
        if (options.receiveBufferSize() > 0) {
            bootstrap.childOption(ChannelOption.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            bootstrap.childOption(ChannelOption.SO_SNDBUF, options.sendBufferSize());
        }

        ChannelFuture bound = bootstrap.bind(spec.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutDown(group, loopThreads);
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io
                    : new IOException("could not bind " + spec.bindAddress(), cause);
        }
        channels.add(bound.channel());
        return new NettyServer(bound.channel(), channels, group, loopThreads, counters);
    }

    /**
     * Event loop threads named {@code asyncbench-<id>-io-<n>}. They cannot be Netty's own
     * FastThreadLocalThread, so each loop runs inside {@code runWithFastThreadLocal}: Netty then
     * treats the thread as one of its own for the allocator's thread caches and the recyclers
     * (without it, epoll allocates 268 B per echo round trip instead of 17 B). Every thread is
     * remembered, so close() can join them.
     */
    private static ThreadFactory loopThreadFactory(String strategyId, List<Thread> threads) {
        // Daemon: a server somebody forgot to close must not keep a benchmark JVM alive.
        ThreadFactory named = StrategyThreads.platform(strategyId, "io", true);
        return loop -> {
            Thread thread = named.newThread(() -> FastThreadLocalThread.runWithFastThreadLocal(loop));
            threads.add(thread);
            return thread;
        };
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
        // others are being closed.
        serverChannel.close().awaitUninterruptibly();
        channels.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
        shutDown(group, loopThreads);
    }

    /**
     * Shuts the loops down without a quiet period (close() drops in-flight data by contract) and
     * waits until their threads have ended, not only until the loops say they are terminated.
     */
    private static void shutDown(EventLoopGroup group, List<Thread> loopThreads) {
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        group.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
        boolean interrupted = false;
        for (Thread thread : loopThreads) {
            long left = deadline - System.nanoTime();
            while (thread.isAlive() && left > 0) {
                try {
                    thread.join(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                left = deadline - System.nanoTime();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
