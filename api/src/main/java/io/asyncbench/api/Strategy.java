package io.asyncbench.api;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;

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
 *
 * <h2>Two roles</h2>
 * A strategy serves the {@link ServerWorkload}s it lists in {@link #serverWorkloads()} from a
 * server ({@link #start}), and plays the in-process timers workload when it has a
 * {@link #sleepers() Sleeper}. The two are declared apart, in types of their own, so that an
 * in-process workload can be neither listed as served nor asked of {@code start}. Ask
 * {@link #plays(Workload)} which workloads it plays, in either role.
 */
public interface Strategy {

    /** Stable short id used on the command line, in JMH's {@code strategy} param and in reports. */
    String id();

    /** One line for humans: what the style is, in its own vocabulary. */
    String description();

    /**
     * Whether this strategy can run on this machine. Never throws: a strategy that needs something
     * missing (a native transport, a JDK feature) answers {@link Availability#unavailable} with the
     * reason, the way Netty's {@code Epoll.unavailabilityCause()} does. A strategy that declares
     * JVM options ({@link StrategyFacts#jvmOptions()}, such as {@code --enable-preview}) answers
     * for a JVM of this JDK started with them, which is how its servers are started: the JVM that
     * asks (the command line, a JMH fork) need not have them.
     */
    Availability availability();

    /**
     * The server role: the workloads {@link #start} serves. A workload this strategy does not play
     * is skipped by the conformance suite and the benchmarks with a reason, never silently.
     */
    Set<ServerWorkload> serverWorkloads();

    /**
     * Starts a server for {@code spec.serverWorkload()} and returns once it is accepting
     * connections.
     *
     * @throws UnsupportedWorkloadException if the workload is not in {@link #serverWorkloads()}
     * @throws IOException if the address cannot be bound
     */
    RunningServer start(ServerSpec spec) throws IOException;

    /**
     * The in-process role: this style's way to sleep, opened with a thread budget (the timers
     * workload, {@link #timers(int)}). Empty for a strategy without one, such as a server outside
     * this JVM.
     */
    default Optional<IntFunction<Sleeper>> sleepers() {
        return Optional.empty();
    }

    /**
     * The in-process timer workload (asyncio.gather of N sleeps) on this strategy's
     * {@link #sleepers() Sleeper}, with {@code threads} as its thread budget.
     *
     * @throws UnsupportedWorkloadException if this strategy has no sleeper
     */
    default TimerFanOut timers(int threads) {
        IntFunction<Sleeper> open = sleepers()
                .orElseThrow(() -> new UnsupportedWorkloadException(this, Workload.TIMERS));
        return new TimerFanOut(open.apply(threads));
    }

    /** Whether this strategy plays {@code workload}: serves it, or runs it in process. */
    default boolean plays(Workload workload) {
        return workload.server().map(serverWorkloads()::contains).orElseGet(() -> sleepers().isPresent());
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
