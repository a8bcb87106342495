package io.asyncbench.run;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyFacts;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.Workload;
import io.asyncbench.external.ExternalServer;
import io.asyncbench.external.ExternalServerStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run will do: the cases to measure, in order, and every (strategy, workload) that will
 * not be measured with the reason, so that a report can say "unavailable because ..." instead of
 * leaving a silent gap.
 */
public final class Plan {

    /**
     * A strategy as metadata.json lists it.
     *
     * @param kind  {@link #JVM} for a strategy, {@link #REFERENCE} for a shipped reference server
     *              (asyncio, uvloop, c-epoll), {@link #EXTERNAL} for a server a user brought
     * @param facts what the strategy declares about itself ({@link Strategy#facts()}): the report
     *              takes its order, colour, module and role from metadata.json, not from a class path
     */
    public record StrategyInfo(String id, String description, boolean available, String reason, String kind,
                               StrategyFacts facts) {

        public static final String JVM = "jvm";
        public static final String REFERENCE = "reference";
        public static final String EXTERNAL = "external";

        public StrategyInfo(String id, String description, boolean available, String reason) {
            this(id, description, available, reason, JVM, StrategyFacts.UNDECLARED);
        }
    }

    /** Something not measured, and why. */
    public record Skip(String benchmark, Map<String, String> params, String message) {
    }

    /** Seconds a case costs beyond its iterations: fork JVM, server JVM, connecting, tearing down. */
    static final Duration CASE_OVERHEAD = Duration.ofSeconds(6);
    /** Starting a server for the open-loop runs of one case. */
    static final Duration OPEN_LOOP_OVERHEAD = Duration.ofSeconds(3);
    /** Each open-loop slice beyond its warm-up and window: connecting, starting, the last replies. */
    static final Duration SLICE_OVERHEAD = Duration.ofMillis(100);
    /** Starting and stopping the backend process of gateway and proxy, each time a server starts. */
    static final Duration BACKENDS_OVERHEAD = Duration.ofSeconds(4);
    /**
     * Starting the fresh server of another repetition inside a fork, connecting and stopping the old
     * one: a JVM start on the server's one CPU (quick, 2 servers per fork, ran 1:00 to 1:30 longer
     * than estimated with 1 s here).
     */
    static final Duration SERVER_RESTART = Duration.ofMillis(2500);
    /**
     * The memory step beyond its server's warm-up: start, opening 4,096 connections, two full GCs,
     * stop (about 2 s measured on 2 cores; platform threads, one thread per connection, take longest).
     */
    static final Duration MEMORY_STEP_OVERHEAD = Duration.ofSeconds(3);
    /**
     * An external server's case beyond its iterations: the JMH fork and connecting; a Python or C
     * server starts in under half a second (measured: 0.05-0.4 s on a busy 2-core machine), a
     * server JVM in about two.
     */
    static final Duration EXTERNAL_CASE_OVERHEAD = Duration.ofSeconds(4);
    /** Starting an external server for the open-loop runs of one case. */
    static final Duration EXTERNAL_OPEN_LOOP_OVERHEAD = Duration.ofSeconds(1);
    /**
     * {@code --explain}, per server JVM of an explained case: JFR's first start in a fresh JVM
     * (measured 1.67 s, 1.31 s of CPU, on a busy 2-core machine; later starts take about 20 ms),
     * then writing the recording (45-120 ms for a 0.3 s window).
     */
    static final Duration EXPLAIN_OVERHEAD = Duration.ofMillis(1800);
    /**
     * A new server's typical warm-up until its JIT goes quiet (never more than the profile's cap):
     * 4.5 s on average over a quick run's 58 servers, 1.3 s (selector's echo) to 14.3 s (reactor's
     * gateway); a little less here, since the open loop's and memory's servers warm with less.
     */
    static final Duration TYPICAL_SERVER_WARMUP = Duration.ofSeconds(4);
    /** An external server's warm-up: no JIT to wait for, so the minimum (ServerUnderTest.WARMUP_MIN). */
    static final Duration EXTERNAL_SERVER_WARMUP = Duration.ofSeconds(1);

    private final Profile profile;
    private final List<BenchmarkCase> cases;
    private final List<Skip> skips;
    private final List<StrategyInfo> strategies;
    private final List<ExternalServer> externals;
    private final Set<BenchmarkCase> memorySteps;
    private final boolean externalTarget;
    /** {@code run --explain}: the http and echo throughput cases record one iteration (see {@link #explainable}). */
    private final boolean explain;

    private Plan(Profile profile, List<BenchmarkCase> cases, List<Skip> skips, List<StrategyInfo> strategies,
                 List<ExternalServer> externals, boolean externalTarget) {
        this(profile, cases, skips, strategies, externals, externalTarget, false);
    }

    private Plan(Profile profile, List<BenchmarkCase> cases, List<Skip> skips, List<StrategyInfo> strategies,
                 List<ExternalServer> externals, boolean externalTarget, boolean explain) {
        this.externalTarget = externalTarget;
        this.explain = explain && !externalTarget;
        this.profile = profile;
        this.externals = List.copyOf(externals);
        this.cases = List.copyOf(cases);
        this.skips = List.copyOf(skips);
        this.strategies = List.copyOf(strategies);
        this.memorySteps = externalTarget ? Set.of() : memoryStepCases(this.cases, this.externals);
    }

    /** This plan, with {@code run --explain}'s recordings or without (a {@code --target} run has none). */
    public Plan explaining(boolean on) {
        return new Plan(profile, cases, skips, strategies, externals, externalTarget, on);
    }

    /** True when the run records where the server's time goes ({@code --explain}). */
    public boolean explain() {
        return explain;
    }

    /** The cases {@code --explain} records: http and echo throughput, the figures the "why" is asked of. */
    public static boolean explainable(BenchmarkCase c) {
        return (c.workload() == Workload.HTTP || c.workload() == Workload.ECHO) && c.method().equals("throughput");
    }

    /**
     * A JVM strategy's first http throughput case is followed by its memory step (MemoryStep). An
     * external server has none: the step counts connections and the live heap on the server's
     * control channel, which an external server does not have.
     */
    private static Set<BenchmarkCase> memoryStepCases(List<BenchmarkCase> cases, List<ExternalServer> externals) {
        Set<String> strategies = new java.util.HashSet<>();
        externals.forEach(e -> strategies.add(e.name()));
        Set<BenchmarkCase> steps = new java.util.HashSet<>();
        for (BenchmarkCase c : cases) {
            if (c.workload() == Workload.HTTP && c.method().equals("throughput") && strategies.add(c.strategy())) {
                steps.add(c);
            }
        }
        return Set.copyOf(steps);
    }

    /**
     * True when {@code c} is followed by its strategy's memory step: memory per connection as the
     * slope between idle connection counts, on a fresh server (once per strategy, after its first
     * http throughput case).
     */
    public boolean memoryStep(BenchmarkCase c) {
        return memorySteps.contains(c);
    }

    /**
     * The plan of {@code profile} for these strategies and workloads.
     *
     * @param serverThreads  the thread budget the timers workload will get (for its capacity)
     * @param externalTarget true when the server runs elsewhere ({@code --target}): in-process
     *                       workloads (timers) are skipped, and the strategy is only a label
     */
    public static Plan of(Profile profile, List<Strategy> strategies, List<Workload> workloads,
                          int serverThreads, boolean externalTarget) {
        List<BenchmarkCase> cases = new ArrayList<>();
        List<Skip> skips = new ArrayList<>();
        List<StrategyInfo> infos = new ArrayList<>();
        for (Strategy strategy : strategies) {
            Availability availability = availability(strategy);
            String kind = !(strategy instanceof ExternalServerStrategy external) ? StrategyInfo.JVM
                    : external.server().reference() ? StrategyInfo.REFERENCE : StrategyInfo.EXTERNAL;
            infos.add(new StrategyInfo(strategy.id(), strategy.description(), availability.available(),
                    availability.reason(), kind, facts(strategy)));
        }
        for (Workload workload : workloads) {
            for (Strategy strategy : strategies) {
                boolean reference = strategy instanceof ExternalServerStrategy e && e.server().reference();
                List<BenchmarkCase> planned = new ArrayList<>(strategy instanceof ExternalServerStrategy
                        ? profile.externalCases(workload, strategy.id(), reference)
                        : profile.cases(workload, strategy.id()));
                if (planned.isEmpty()) {
                    Map<String, String> params = new LinkedHashMap<>();
                    params.put("strategy", strategy.id());
                    skips.add(new Skip(profile.cases(workload, strategy.id()).get(0).benchmark()
                            .replaceAll("\\.[^.]+$", ""), params, "not measured: in " + profile.id() + " the references"
                            + " run http only there, to keep it within its time budget (their " + workload
                            + " is in smoke and full)"));
                    continue;
                }
                if (profile == Profile.SMOKE && strategy != strategies.get(0)) {
                    // smoke proves wiring: the latency methods once, on the first strategy
                    planned.removeIf(c -> c.method().equals("latency"));
                }
                Availability availability = availability(strategy);
                if (strategy instanceof ExternalServerStrategy && availability.available()
                        && !strategy.plays(workload)) {
                    continue; // an external server serves echo and http only, by design: no reason to list
                }
                String reason = null;
                Strategy sameTimers = workload == Workload.TIMERS ? sameTimersIn(strategy, strategies) : null;
                if (externalTarget && workload.role() == Workload.Role.IN_PROCESS) {
                    reason = "not measured: " + workload + " runs in process and cannot use --target";
                } else if (!externalTarget && !availability.available()) {
                    reason = "not measured: strategy " + strategy.id() + " is unavailable here: "
                            + availability.reason();
                } else if (!externalTarget && !strategy.plays(workload)) {
                    reason = "not measured: strategy " + strategy.id() + " does not implement the "
                            + workload + " workload";
                } else if (sameTimers != null) {
                    reason = "not measured: the timers of " + strategy.id() + " are those of " + sameTimers.id()
                            + ", code for code: measured once, as " + sameTimers.id();
                }
                if (reason != null) {
                    Map<String, String> params = new LinkedHashMap<>();
                    params.put("strategy", strategy.id());
                    skips.add(new Skip(planned.get(0).benchmark().replaceAll("\\.[^.]+$", ""), params, reason));
                    continue;
                }
                for (BenchmarkCase c : planned) {
                    String tooMany = workload == Workload.TIMERS && !externalTarget
                            ? capacityProblem(strategy, serverThreads, Integer.parseInt(c.params().get("tasks")))
                            : null;
                    if (tooMany != null) {
                        skips.add(new Skip(c.benchmark(), c.allParams(), tooMany));
                    } else {
                        cases.add(c);
                    }
                }
            }
        }
        List<ExternalServer> externals = strategies.stream()
                .filter(s -> s instanceof ExternalServerStrategy && s.availability().available())
                .map(s -> ((ExternalServerStrategy) s).server()).toList();
        return new Plan(profile, cases, skips, infos, externals, externalTarget);
    }

    /**
     * The strategy of this run whose timers {@code strategy}'s are ({@link Strategy#timersSameAs()}),
     * when it runs them here; else null, and {@code strategy} measures its own.
     */
    private static Strategy sameTimersIn(Strategy strategy, List<Strategy> strategies) {
        String same = strategy.timersSameAs().orElse(null);
        return strategies.stream()
                .filter(s -> s.id().equals(same) && availability(s).available()
                        && s.plays(Workload.TIMERS))
                .findFirst().orElse(null);
    }

    /** What the strategy declares; one that breaks the contract by throwing declares nothing. */
    private static StrategyFacts facts(Strategy strategy) {
        try {
            return strategy.facts();
        } catch (RuntimeException | LinkageError broken) {
            return StrategyFacts.UNDECLARED;
        }
    }

    private static Availability availability(Strategy strategy) {
        try {
            return strategy.availability();
        } catch (RuntimeException | LinkageError broken) {
            return Availability.unavailable("availability() threw " + broken);
        }
    }

    /** Why {@code tasks} sleeping tasks are more than the strategy holds, or null if they fit. */
    private static String capacityProblem(Strategy strategy, int threads, int tasks) {
        try (TimerFanOut fanOut = strategy.timers(threads)) {
            TimerFanOut.Capacity capacity = fanOut.capacity();
            if (tasks > capacity.maxTasks()) {
                return "not measured: strategy " + strategy.id() + " holds at most "
                        + capacity.maxTasks() + " sleeping tasks here: " + capacity.reason();
            }
            return null;
        } catch (RuntimeException | LinkageError failed) {
            return null; // the benchmark itself will report what is wrong
        }
    }

    public Profile profile() {
        return profile;
    }

    public List<BenchmarkCase> cases() {
        return cases;
    }

    public List<Skip> skips() {
        return skips;
    }

    public List<StrategyInfo> strategies() {
        return strategies;
    }

    /** The external servers among the strategies (references and servers a user brought). */
    public List<ExternalServer> externals() {
        return externals;
    }

    /** Roughly how long the whole plan takes. */
    public Duration estimate() {
        Duration total = Duration.ZERO;
        for (BenchmarkCase c : cases) {
            total = total.plus(estimate(c));
        }
        return total;
    }

    private Duration serverWarmup() {
        Duration max = profile.serverWarmupMax();
        return max.compareTo(TYPICAL_SERVER_WARMUP) < 0 ? max : TYPICAL_SERVER_WARMUP;
    }

    /** Roughly how long one case takes, its open-loop runs included. */
    public Duration estimate(BenchmarkCase c) {
        Profile.Jmh jmh = profile.jmh();
        Duration iterations = jmh.warmupTime().multipliedBy(jmh.warmupIterations())
                .plus(jmh.measurementTime().multipliedBy(jmh.measurementIterations()));
        ExternalServer externalServer = externals.stream().filter(e -> e.name().equals(c.strategy())).findFirst()
                .orElse(null);
        boolean external = externalServer != null;
        boolean reference = external && externalServer.reference();
        Duration perFork = (external ? EXTERNAL_CASE_OVERHEAD : CASE_OVERHEAD).plus(iterations);
        Duration serverWarmup = external ? EXTERNAL_SERVER_WARMUP : serverWarmup();
        Duration warmup = c.workload() == Workload.TIMERS ? Duration.ZERO : serverWarmup;
        if (c.workload() == Workload.GATEWAY || c.workload() == Workload.PROXY) {
            warmup = warmup.plus(BACKENDS_OVERHEAD);
        }
        perFork = perFork.plus(warmup);
        if (c.workload() != Workload.TIMERS) {
            // a reference has no JIT whose luck a fresh server would average out: no repetition
            int restarts = reference ? 0 : Math.min(jmh.serversPerFork(), jmh.measurementIterations()) - 1;
            // a fresh server under test, warmed up; the backends keep running
            perFork = perFork.plus(SERVER_RESTART.plus(serverWarmup).multipliedBy(restarts));
        }
        if (c.workload() == Workload.TIMERS) {
            // a gather may outlast an iteration; plus the heap measurement with its long sleep
            boolean million = Integer.parseInt(c.params().get("tasks")) >= 1_000_000;
            perFork = perFork.plus(Duration.ofSeconds(million ? 8 : 2));
        }
        if (explain && explainable(c) && !external) {
            // each server of the fork records its warm-up (JFR's start-up), the last iteration is written out
            perFork = perFork.plus(EXPLAIN_OVERHEAD.multipliedBy(Math.min(jmh.serversPerFork(), jmh.measurementIterations())));
        }
        Duration total = perFork.multipliedBy(jmh.forks());
        if (c.openLoop()) {
            Profile.OpenLoopSettings open = profile.openLoop();
            int rates = open.commonLadder().size() + profile.ownPeakFractions(reference).size();
            total = total.plus(external ? EXTERNAL_OPEN_LOOP_OVERHEAD : OPEN_LOOP_OVERHEAD).plus(warmup)
                    .plus(open.settle())
                    .plus(open.warmup().plus(SLICE_OVERHEAD).multipliedBy((long) open.rounds() * rates))
                    .plus(open.duration().multipliedBy(rates));
        }
        if (memoryStep(c)) {
            total = total.plus(MEMORY_STEP_OVERHEAD).plus(serverWarmup());
        }
        return total;
    }
}
