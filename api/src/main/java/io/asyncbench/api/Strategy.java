package io.asyncbench.api;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One way of writing asynchronous network code, able to play the workloads of {@link Workload}.
 *
 * <p>Implementations are registered in {@code META-INF/services/io.asyncbench.api.Strategy} and
 * found with {@link Strategies}. They must have a public no-argument constructor that does no IO
 * and starts no thread: discovery happens before anybody decides what to run.
 *
 * <h2>Life cycle of a server</h2>
 * <pre>
 *   availability() --available--> start(spec) --> RunningServer --> close() --> (port, threads,
 *                                                                                buffers freed)
 * </pre>
 * {@code start} returns only once the server accepts connections; {@code close} returns only once
 * everything it started is gone. A strategy may be started any number of times, also concurrently.
 */
public interface Strategy {

    /** Stable short id used on the command line, in JMH's {@code strategy} param and in reports. */
    String id();

    /** One line for humans: what the style is, in its own vocabulary. */
    String description();

    /**
     * Whether this strategy can run on this machine. Never throws: a strategy that needs something
     * missing (a native transport, a JDK feature) answers {@link Availability#unavailable} with the
     * reason, the way Netty's {@code Epoll.unavailabilityCause()} does.
     */
    Availability availability();

    /**
     * The server workloads this strategy implements. A workload not in this set is skipped by the
     * conformance suite and the benchmarks with a reason, never silently.
     */
    Set<Workload> serverWorkloads();

    /**
     * Starts a server for {@code spec.workload()} and returns once it is accepting connections.
     *
     * @throws UnsupportedWorkloadException if the workload is not in {@link #serverWorkloads()}
     * @throws IOException if the address cannot be bound
     */
    RunningServer start(ServerSpec spec) throws IOException;

    /**
     * The in-process timer workload (asyncio.gather of N sleeps) in this strategy's style.
     *
     * @throws UnsupportedWorkloadException if {@link Workload#TIMERS} is not supported
     */
    default TimerFanOut timers(int threads) {
        throw new UnsupportedWorkloadException(this, Workload.TIMERS);
    }

    /**
     * Facts about the engine under this strategy as it runs in this JVM, that change what it
     * costs and that the benchmarks record beside its figures: for example whether Netty may use
     * {@code sun.misc.Unsafe} ({@code "netty.unsafe" -> "true"}), which a JVM flag decides. Keys
     * are {@code <engine>.<fact>}; values are short strings. Most strategies have none: the JDK
     * itself is the engine, and the run's metadata records the JDK.
     */
    default Map<String, String> engineFacts() {
        return Map.of();
    }

    /**
     * What the others need to know about this strategy: its place in lists and reports, its colour,
     * the module holding its code, whether it may serve the backends of a gateway or proxy
     * benchmark. Declared here, in the strategy's own module, and nowhere else: {@code run} copies it
     * into each results folder, so a report needs no strategy on its class path. A strategy that
     * declares nothing comes last, in a spare colour, and never serves backends.
     */
    default StrategyFacts facts() {
        return StrategyFacts.UNDECLARED;
    }

    /**
     * The id of another strategy whose timers workload this one's is, code for code (Netty's timing
     * wheel uses neither transport, so netty-epoll's timers are netty-nio's): when both run,
     * {@code run} measures that one's only and records why this one's is not measured.
     */
    default Optional<String> timersSameAs() {
        return Optional.empty();
    }
}
