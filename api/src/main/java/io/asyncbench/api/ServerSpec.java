package io.asyncbench.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What to serve and how: the same spec, handed to each strategy, makes the comparison fair.
 *
 * @param workload      which workload to serve: a server one ({@link #serverWorkload()})
 * @param bindAddress   where to listen; loopback with an ephemeral port unless told otherwise
 * @param ioThreads     the IO thread budget, the same for every strategy. Event-loop styles
 *                      (callbacks, futures, selector, netty) run this many loops / completion
 *                      threads. Virtual threads run on this many carriers when the bench starts the
 *                      server JVM (it sets {@code jdk.virtualThreadScheduler.parallelism}); in a
 *                      shared JVM the JDK scheduler is process-wide. Platform threads need one
 *                      thread per connection by nature, which is the point of that baseline.
 * @param socketOptions socket options applied identically by every strategy
 * @param limits        buffer sizes, water marks, timeouts and request limits
 * @param backends      gateway: the K backend addresses; proxy: one backend; otherwise empty
 */
public record ServerSpec(Workload workload, InetSocketAddress bindAddress, int ioThreads,
                         SocketOptions socketOptions, Limits limits,
                         List<InetSocketAddress> backends) {

    /** The default IO thread budget: one loop per core, as Netty and asyncio deployments do. */
    public static final int DEFAULT_IO_THREADS = Runtime.getRuntime().availableProcessors();

    public ServerSpec {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(socketOptions, "socketOptions");
        Objects.requireNonNull(limits, "limits");
        backends = List.copyOf(backends);
        if (ServerWorkload.of(workload) == null) {
            throw new IllegalArgumentException(workload + " is not a server workload: it runs in process");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1: " + ioThreads);
        }
        if ((workload == Workload.GATEWAY || workload == Workload.PROXY) && backends.isEmpty()) {
            throw new IllegalArgumentException(workload + " needs at least one backend address");
        }
    }

    /** The workload as the type a strategy's {@code start} switches over. */
    public ServerWorkload serverWorkload() {
        return ServerWorkload.of(workload);
    }

    /** A spec for {@code workload} on 127.0.0.1, an ephemeral port and the default budget. */
    public static ServerSpec loopback(Workload workload) {
        return new ServerSpec(workload, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                DEFAULT_IO_THREADS, SocketOptions.DEFAULTS, Limits.DEFAULTS, List.of());
    }

    /** A spec for a workload with backends (gateway, proxy) on 127.0.0.1 and an ephemeral port. */
    public static ServerSpec loopback(Workload workload, List<InetSocketAddress> backends) {
        return new ServerSpec(workload, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                DEFAULT_IO_THREADS, SocketOptions.DEFAULTS, Limits.DEFAULTS, backends);
    }

    public ServerSpec withBindAddress(InetSocketAddress address) {
        return new ServerSpec(workload, address, ioThreads, socketOptions, limits, backends);
    }

    public ServerSpec withIoThreads(int threads) {
        return new ServerSpec(workload, bindAddress, threads, socketOptions, limits, backends);
    }

    public ServerSpec withLimits(Limits newLimits) {
        return new ServerSpec(workload, bindAddress, ioThreads, socketOptions, newLimits, backends);
    }

    public ServerSpec withSocketOptions(SocketOptions options) {
        return new ServerSpec(workload, bindAddress, ioThreads, options, limits, backends);
    }

    public ServerSpec withBackends(List<InetSocketAddress> addresses) {
        return new ServerSpec(workload, bindAddress, ioThreads, socketOptions, limits, addresses);
    }
}
