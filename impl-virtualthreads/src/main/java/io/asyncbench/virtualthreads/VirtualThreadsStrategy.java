package io.asyncbench.virtualthreads;

import io.asyncbench.api.StrategyFacts;

/**
 * Plain blocking code, one virtual thread per connection (JEP 444): the code of the
 * {@code platform-threads} baseline, unchanged, on threads that cost a few hundred bytes while
 * blocked instead of an OS thread. The gateway starts a new one per backend call where the
 * baseline reuses pooled ones ({@link ThreadKind#backendCalls}): each kind in its own idiom.
 *
 * <h2>The IO thread budget</h2>
 * There is no per-server event loop to size: {@code ServerSpec.ioThreads()} cannot be applied by
 * this strategy. Virtual threads run on the JDK's scheduler, a process-wide ForkJoinPool of
 * carrier threads whose size is fixed at JVM start by {@code -Djdk.virtualThreadScheduler.parallelism}
 * (default: the number of cores). The bench sets it to the budget when it launches a server JVM,
 * so there the carriers are the IO threads; in a shared JVM (tests) every server shares whatever
 * the JVM was started with. On JDK 25 on Linux the pollers that wake parked threads are virtual
 * threads on those same carriers ({@code jdk.pollerMode=2}), plus one master poller platform thread.
 *
 * <h2>Pinning</h2>
 * Nothing on the IO path holds a monitor: the socket channels use {@code ReentrantLock}s, and this
 * module uses no {@code synchronized}. Since JDK 24 (JEP 491) monitors no longer pin anyway; a JFR
 * test ({@code jdk.VirtualThreadPinned}, threshold 0) checks that serving echo, http, the gateway
 * and the proxy never pins once warmed up.
 */
public final class VirtualThreadsStrategy extends BlockingStrategy {

    public static final String ID = "virtual-threads";

    public VirtualThreadsStrategy() {
        super(ID, "blocking SocketChannel code, one virtual thread per connection, parked on the JDK"
                + " poller; runs on jdk.virtualThreadScheduler.parallelism carriers (process-wide)",
                ThreadKind.VIRTUAL);
    }

    /** After the NIO.2 styles; Okabe-Ito bluish green. */
    @Override
    public StrategyFacts facts() {
        return StrategyFacts.of(30, "#009E73", "impl-virtualthreads").withBackendRank(6);
    }
}
