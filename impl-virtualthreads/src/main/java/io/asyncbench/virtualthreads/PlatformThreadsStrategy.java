package io.asyncbench.virtualthreads;

import io.asyncbench.api.StrategyFacts;

/**
 * The classic baseline that virtual threads replace: the same blocking code as
 * {@link VirtualThreadsStrategy}, on one platform (OS) thread per connection.
 *
 * <h2>The IO thread budget</h2>
 * Does not apply: a thread blocked in a read is an IO thread, so this strategy uses one per open
 * connection (plus the acceptor), whatever {@code ServerSpec.ioThreads()} says. That is the point of
 * the baseline: it shows what one thread per connection costs in memory and context switches.
 *
 * <h2>Capacity</h2>
 * Each connection (and each sleeping task of the timers workload) is an OS thread with its own
 * stack, so the kernel's limits (kernel.threads-max, pid_max, vm.max_map_count, RLIMIT_NPROC,
 * cgroup pids.max) cap it in the tens of thousands: it cannot hold 1,000,000 concurrent tasks.
 * When thread creation fails the connection is closed and counted as an error; the server goes on.
 *
 * <h2>The gateway's backend calls</h2>
 * Run on a cached pool shared by the server's requests, not on a new thread per call as on
 * virtual threads: see {@link ThreadKind#backendCalls}.
 */
public final class PlatformThreadsStrategy extends BlockingStrategy {

    public static final String ID = "platform-threads";

    public PlatformThreadsStrategy() {
        super(ID, "the same blocking SocketChannel code on one platform (OS) thread per connection:"
                + " the classic baseline", ThreadKind.PLATFORM);
    }

    /** Beside virtual threads, in grey and dashed: the baseline they replace; the last choice for backends. */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(40, "#8C8C8C", "impl-virtualthreads").withLine(StrategyFacts.Line.DASHED)
                .withBackendRank(7);
    }
}
