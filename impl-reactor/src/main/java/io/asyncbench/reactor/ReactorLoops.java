package io.asyncbench.reactor;

import io.asyncbench.api.JoinableThreads;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The server's one {@link LoopResources}: exactly the spec's number of event loops, for the
 * listener, the accepted connections and the backend clients alike ({@code onServer},
 * {@code onServerSelect} and {@code onClient} are the same group), so that nothing of
 * reactor-netty's global {@code TcpResources}/{@code HttpResources} is ever started.
 *
 * <p>Why not {@code LoopResources.create(prefix, n, true)}: its threads cannot be joined, and
 * {@link io.asyncbench.api.RunningServer#close()} must return only once they have ended. These
 * are {@link JoinableThreads} ({@code asyncbench-reactor-io-<n>}) running each loop inside
 * {@code runWithFastThreadLocal}, so Netty treats them as its own for the allocator's thread
 * caches, as reactor-netty's own loop threads are. The transport is reactor-netty's default
 * choice: native epoll where it is available, else NIO.
 */
final class ReactorLoops implements LoopResources {

    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(JoinableThreads.CLOSE_TIMEOUT_SECONDS);

    private final JoinableThreads threads;
    private final EventLoopGroup group;
    private final EventLoopGroup colocated;

    ReactorLoops(String strategyId, String role, int size) {
        threads = new JoinableThreads(strategyId, role);
        ThreadFactory factory = loop -> threads.newThread(() -> FastThreadLocalThread.runWithFastThreadLocal(loop));
        IoHandlerFactory io = LoopResources.hasNativeSupport() && Epoll.isAvailable()
                ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(size, factory, io);
        colocated = LoopResources.colocate(group);
    }

    EventLoopGroup group() {
        return group;
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return group;
    }

    /** A client connection opened from a loop stays on that loop (reactor-netty's own default). */
    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return colocated;
    }

    @Override
    public boolean daemon() {
        return true;
    }

    @Override
    public boolean isDisposed() {
        return group.isShuttingDown();
    }

    /**
     * Shuts the loops down with the given quiet period and waits, up to {@code timeout}, for
     * their threads to have ended, not only for the group to say it terminated.
     */
    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.fromRunnable(() -> threads.terminate("event loop", (time, unit) -> group
                .shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS)
                .await(time, unit)));
    }
}
