package io.asyncbench.vertx;

import io.asyncbench.api.StrategyThreads;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Vertx} instance, as each server and each timers workload owns one: its event loops
 * are the thread budget, every thread it makes is named by {@link StrategyThreads} (through the
 * {@link VertxThreadFactory} Vert.x lets an embedder supply) and remembered, and {@link #close()}
 * returns only once {@code vertx.close()} has completed and every one of those threads has ended.
 *
 * <p>The threads a Vert.x instance can start, and what bounds them here:
 * <ul>
 *   <li>{@code eventLoopPoolSize} event loops: the budget. The acceptor loop Vert.x keeps apart
 *       for listening sockets is one of them ({@link VertxTransport}), as in impl-netty.</li>
 *   <li>The worker pool and the internal blocking pool: one thread each at most, started only if
 *       something blocks (nothing here does; {@code vertx.close()} runs one internal blocking
 *       task, so that one starts at close and is joined).</li>
 *   <li>The blocked-thread checker, a {@link java.util.Timer} Vert.x always creates and names
 *       itself ({@code vertx-blocked-thread-checker}): no factory reaches it; {@code close}
 *       cancels it and it ends at once.</li>
 * </ul>
 */
final class VertxEngine implements AutoCloseable {

    /** How long close() waits for Vert.x and its threads; the contract asks for a bounded wait. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** The thread names Vert.x asks for, by the prefix it gives, to our role names. */
    private static final Map<String, String> ROLES = Map.of(
            "vert.x-eventloop-thread-", "eventloop",
            "vert.x-acceptor-thread-", "acceptor",
            "vert.x-worker-thread-", "worker",
            "vert.x-internal-blocking-", "internal-blocking");

    private final Vertx vertx;
    private final VertxTransport transport;
    private final List<Thread> threads;
    private boolean closed;

    private VertxEngine(Vertx vertx, VertxTransport transport, List<Thread> threads) {
        this.vertx = vertx;
        this.transport = transport;
        this.threads = threads;
    }

    /** A Vert.x instance with {@code eventLoops} event loops, for {@code transport}'s servers. */
    static VertxEngine start(String strategyId, int eventLoops, VertxTransport transport) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1: " + eventLoops);
        }
        List<Thread> threads = new CopyOnWriteArrayList<>();
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                // Daemon: a server somebody forgot to close must not keep a benchmark JVM alive.
                .setUseDaemonThread(true)
                // No file caching: nothing here serves files, and no cache directory to delete.
                .setFileSystemOptions(new io.vertx.core.file.FileSystemOptions()
                        .setFileCachingEnabled(false).setClassPathResolvingEnabled(false));
        Vertx vertx = VertxBootstrap.create()
                .options(options)
                .threadFactory(new NamedThreads(strategyId, threads))
                .transport(transport)
                .init()
                .vertx();
        return new VertxEngine(vertx, transport, threads);
    }

    Vertx vertx() {
        return vertx;
    }

    /** The event loops, for work that must run on a given one (the timers' lanes). */
    EventLoopGroup eventLoops() {
        return transport.ioGroup();
    }

    /**
     * Closes Vert.x (every server, client, timer and deployment it holds), waits for that to
     * complete, then for every thread it made to end. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        boolean interrupted = false;
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Vert.x did not close within " + CLOSE_TIMEOUT, e);
        }
        for (Thread thread : threads) {
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

    /**
     * Vert.x's own threads ({@link VertxThread}: Netty's fast thread-locals, the blocked-thread
     * checker's bookkeeping), named {@code asyncbench-<id>-<role>-<n>} and remembered for close.
     */
    private static final class NamedThreads implements VertxThreadFactory {

        private final String strategyId;
        private final List<Thread> threads;
        private final Map<String, AtomicInteger> counters = new java.util.concurrent.ConcurrentHashMap<>();

        NamedThreads(String strategyId, List<Thread> threads) {
            this.strategyId = strategyId;
            this.threads = threads;
        }

        @Override
        public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                                          TimeUnit maxExecTimeUnit) {
            String role = ROLES.entrySet().stream().filter(e -> name.startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse("thread");
            int n = counters.computeIfAbsent(role, r -> new AtomicInteger()).incrementAndGet();
            VertxThread thread = new VertxThread(target, StrategyThreads.prefix(strategyId) + role + "-" + n,
                    worker, maxExecTime, maxExecTimeUnit);
            threads.add(thread);
            return thread;
        }
    }
}
