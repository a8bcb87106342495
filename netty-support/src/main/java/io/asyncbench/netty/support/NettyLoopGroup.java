package io.asyncbench.netty.support;

import io.asyncbench.api.JoinableThreads;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * An event loop group on named threads that {@link #close()} leaves nothing of: what a server's
 * IO loops and the timers workload's loops both are, on Netty and under reactor-netty alike.
 *
 * <p>Loop threads can not be Netty's own FastThreadLocalThread (they must be named by
 * StrategyThreads), so each loop runs inside {@code runWithFastThreadLocal}: Netty then treats the
 * thread as one of its own for the allocator's thread caches and the recyclers (without it, epoll
 * allocates 268 B per echo round trip instead of 17 B). They are {@link JoinableThreads} (daemon:
 * a server somebody forgot to close must not keep a benchmark JVM alive), so close() can join them.
 */
public final class NettyLoopGroup implements AutoCloseable {

    /** How long close() waits for the loops to end; the contract asks for a bounded wait. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(JoinableThreads.CLOSE_TIMEOUT_SECONDS);

    private final JoinableThreads threads;
    private final EventLoopGroup group;

    private NettyLoopGroup(JoinableThreads threads, EventLoopGroup group) {
        this.threads = threads;
        this.group = group;
    }

    /** {@code size} loops on {@code io}, their threads named {@code asyncbench-<id>-<role>-<n>}. */
    public static NettyLoopGroup start(String strategyId, String role, int size, IoHandlerFactory io) {
        JoinableThreads threads = new JoinableThreads(strategyId, role);
        ThreadFactory factory = loop -> threads.newThread(() -> FastThreadLocalThread.runWithFastThreadLocal(loop));
        return new NettyLoopGroup(threads, new MultiThreadIoEventLoopGroup(size, factory, io));
    }

    public EventLoopGroup group() {
        return group;
    }

    /**
     * Shuts the loops down without a quiet period (a closing server drops in-flight data by
     * contract; pending timers are cancelled) and waits until their threads have ended, not only
     * until the loops say they are terminated.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** {@link #close()} after a quiet period, as reactor-netty's {@code disposeLater} asks. */
    public void close(Duration quietPeriod) {
        threads.terminate("event loop", (time, unit) -> group
                .shutdownGracefully(quietPeriod.toMillis(), CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .await(time, unit));
    }
}
