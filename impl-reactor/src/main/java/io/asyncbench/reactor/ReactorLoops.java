package io.asyncbench.reactor;

import io.asyncbench.netty.support.NettyLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
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
 * are a {@link NettyLoopGroup} ({@code asyncbench-reactor-io-<n>}), whose loops Netty treats as
 * its own for the allocator's thread caches, as reactor-netty's own loop threads are. The
 * transport is reactor-netty's default choice: native epoll where it is available, else NIO.
 */
final class ReactorLoops implements LoopResources {

    static final Duration CLOSE_TIMEOUT = NettyLoopGroup.CLOSE_TIMEOUT;

    private final NettyLoopGroup loops;
    private final EventLoopGroup colocated;

    ReactorLoops(String strategyId, String role, int size) {
        IoHandlerFactory io = LoopResources.hasNativeSupport() && Epoll.isAvailable()
                ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        loops = NettyLoopGroup.start(strategyId, role, size, io);
        colocated = LoopResources.colocate(loops.group());
    }

    EventLoopGroup group() {
        return loops.group();
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops.group();
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
        return loops.group().isShuttingDown();
    }

    /**
     * Shuts the loops down with the given quiet period and waits for their threads to have ended,
     * not only for the group to say it terminated ({@link NettyLoopGroup#CLOSE_TIMEOUT} at most,
     * which every caller here passes as {@code timeout}).
     */
    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return Mono.fromRunnable(() -> loops.close(quietPeriod));
    }
}
