package io.asyncbench.run;

import io.asyncbench.api.Workload;
import io.asyncbench.bench.BenchmarkMatrix;
import io.asyncbench.bench.EchoBenchmark;
import io.asyncbench.bench.GatewayBenchmark;
import io.asyncbench.bench.HttpBenchmark;
import io.asyncbench.bench.ProxyBenchmark;
import io.asyncbench.bench.TimersBenchmark;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How much to measure. Every profile runs every workload on every strategy; they differ in the
 * parameters covered and in how long JMH measures.
 *
 * <pre>
 *   smoke   every benchmark class on every strategy once (the latency methods on the first
 *           strategy only), open-loop latency included, tiny iterations: proves the wiring (CI
 *           runs it); the numbers mean little
 *   quick   the default: each workload at its headline parameters, every server warmed until its
 *           JIT goes quiet (as in full), JMH settings that still give error bars (6 measured
 *           iterations), open-loop latency at 25/50/75 % of the slowest strategy's peak (the same
 *           rates for all)
 *   full    the whole matrix of the benchmarks' @Param values, 2 forks, longer iterations
 * </pre>
 * What each profile measures of each benchmark is declared once, by the benchmark (its
 * {@code MATRIX}, a {@link BenchmarkMatrix}); a profile here says only how long and how often.
 */
public enum Profile {

    SMOKE(new Jmh(1, 1, Duration.ofMillis(300), 1, Duration.ofMillis(400), 1),
            new OpenLoopSettings(List.of(0.25, 0.75), List.of(0.5), Duration.ofMillis(300), Duration.ofMillis(150),
                    Duration.ofMillis(600), 4, 2),
            Duration.ofSeconds(1)),

    // Every server is warmed until its JIT goes quiet, for at most 20 s as in full: the JIT-heavy
    // stacks need it (a fresh server pinned to one core, http at 256 connections: callbacks and
    // kotlin-coroutines compiled for 2-3 s, netty-nio and vertx for 5-7 s, reactor for 12 s; under
    // the 1.8 s cap quick had before, reactor's http cost 82 us per request, 5.5x its warm 15, and
    // the slowest cold peak set everyone's open-loop rates). One server JVM per case pays for it:
    // a second one costs its start (2.5 s) and another warm-up, and the error bars then come from
    // the 6 iterations of one warm JVM. Full's 2 forks are 2 JVMs. One JMH warm-up iteration is
    // enough after the server's warm-up, which also warms the client code.
    QUICK(new Jmh(1, 1, Duration.ofMillis(300), 6, Duration.ofMillis(300), 1),
            // the common ladder is the headline and all of quick's open loop: the own-peak view (the
            // second one) is in smoke and full. Quick keeps its time so: without the ladder's
            // 90 % step (in full), without own-peak runs since the references came (a quiet run
            // with them and 3 s warm-ups took 15:47)
            // 4 rounds of 250 ms per rate, the strategies of a setting taking turns: this machine's
            // speed drifts by up to 1.7x over tens of seconds (two quick runs measured one after
            // the other, each strategy alone: 14 % of the pairs' CPU ratios agreed within 5 %;
            // taking turns: 31 %)
            new OpenLoopSettings(List.of(0.25, 0.5, 0.75), List.of(), Duration.ofMillis(400),
                    Duration.ofMillis(50), Duration.ofMillis(1000), 4, 4),
            Duration.ofSeconds(20)),

    FULL(new Jmh(2, 3, Duration.ofSeconds(2), 5, Duration.ofSeconds(2), 1),
            new OpenLoopSettings(List.of(0.25, 0.5, 0.75, 0.9), List.of(0.25, 0.5, 0.75), Duration.ofSeconds(5),
                    Duration.ofSeconds(1), Duration.ofSeconds(20), 10, 5),
            Duration.ofSeconds(20));

    /**
     * JMH's forks, warm-up and measurement for every case of the profile.
     *
     * @param serversPerFork the measured iterations of a fork are split between this many fresh
     *                       server JVMs ({@code ServerUnderTest.freshServerIfDue}): independent
     *                       servers for the statistics without the cost of more forks
     */
    public record Jmh(int forks, int warmupIterations, Duration warmupTime, int measurementIterations,
                      Duration measurementTime, int serversPerFork) {

        /** Independent server JVMs behind each score. */
        public int servers() {
            return forks * Math.min(serversPerFork, measurementIterations);
        }
    }

    /**
     * Open-loop latency and cost. The strategies of one benchmark setting are all started, each
     * driven for {@code settle} at its heaviest rate (not recorded: its JIT compiles the open loop's
     * paths), then they take turns: in each of {@code rounds} rounds, every rate in turn, every
     * strategy in turn runs {@code warmup} (not recorded) and one slice of {@code duration}. So a
     * drift of the machine's speed, which on a shared host lasts tens of seconds, falls on every
     * strategy alike instead of on whichever ran during it. Each slice is split into
     * {@code subWindows / rounds} sub-windows for the spread of server CPU per request.
     *
     * @param commonLadder    the common rates, as fractions of the slowest strategy's peak in the run
     *                        (the same absolute rates for every strategy: the headline, see {@link RateLadder})
     * @param fractionsOfPeak fractions of each strategy's own peak (the second view)
     * @param duration        measured time per rate and strategy, over all rounds
     * @param subWindows      sub-windows per rate and strategy, over all rounds: a multiple of rounds
     */
    public record OpenLoopSettings(List<Double> commonLadder, List<Double> fractionsOfPeak, Duration settle,
                                   Duration warmup, Duration duration, int subWindows, int rounds) {

        public OpenLoopSettings {
            commonLadder = List.copyOf(commonLadder);
            fractionsOfPeak = List.copyOf(fractionsOfPeak);
            if (rounds < 1 || subWindows < rounds || subWindows % rounds != 0) {
                throw new IllegalArgumentException("need sub-windows a multiple of rounds: " + subWindows
                        + " sub-windows, " + rounds + " rounds");
            }
        }

        /** Open-loop rates per case: the common ladder and the own-peak fractions. */
        public int ratesPerCase() {
            return commonLadder.size() + fractionsOfPeak.size();
        }

        /** One round's measured slice of a rate. */
        public Duration slice() {
            return duration.dividedBy(rounds);
        }

        /** Sub-windows per slice. */
        public int subWindowsPerSlice() {
            return subWindows / rounds;
        }
    }

    private final Jmh jmh;
    private final OpenLoopSettings openLoop;
    private final Duration serverWarmupMax;

    Profile(Jmh jmh, OpenLoopSettings openLoop, Duration serverWarmupMax) {
        this.serverWarmupMax = serverWarmupMax;
        this.jmh = jmh;
        this.openLoop = openLoop;
    }

    public Jmh jmh() {
        return jmh;
    }

    /**
     * The most each new server is driven before it is measured, while its JIT still compiles
     * (ServerUnderTest stops earlier once the JIT goes quiet).
     */
    public Duration serverWarmupMax() {
        return serverWarmupMax;
    }

    public OpenLoopSettings openLoop() {
        return openLoop;
    }

    /**
     * True when {@code run} records where the server's time goes ({@code --explain}) unless told
     * {@code --no-explain}. No profile does: JFR's first start in each fresh server JVM takes about
     * 1.7 s (measured on 2 cores), which would add about a minute to quick (one server JVM per
     * explained case), measured at 20:12 with the eleven strategies and the references.
     */
    public boolean explainsByDefault() {
        return false;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Profile byId(String id) {
        for (Profile p : values()) {
            if (p.id().equalsIgnoreCase(id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + id + "'; known: smoke, quick, full");
    }

    /**
     * Each benchmark's one declaration of what the profiles measure ({@link BenchmarkMatrix}): the
     * profiles restate none of it.
     */
    static final List<BenchmarkMatrix> BENCHMARKS = List.of(EchoBenchmark.MATRIX, HttpBenchmark.MATRIX,
            TimersBenchmark.MATRIX, GatewayBenchmark.MATRIX, ProxyBenchmark.MATRIX);

    /** The cases of one workload for one strategy, in run order. */
    public List<BenchmarkCase> cases(Workload workload, String strategy) {
        BenchmarkMatrix matrix = BENCHMARKS.stream().filter(m -> m.workload() == workload).findFirst()
                .orElseThrow(() -> new IllegalStateException("no benchmark measures the " + workload + " workload"));
        List<BenchmarkMatrix.Setting> settings = switch (this) {
            case SMOKE -> matrix.smoke();
            case QUICK -> matrix.quick();
            case FULL -> matrix.full();
        };
        return settings.stream().map(s -> new BenchmarkCase(matrix.benchmark().getSimpleName(), s.method(), strategy,
                s.params(), s.openLoop())).toList();
    }

    /**
     * The cases of one workload for an external server (a reference, or one a user brought): in
     * smoke and quick only the headline echo and http throughput (with its open-loop runs), since
     * each one costs a JMH fork and quick has a time budget; in quick the references (measured in
     * every run unless left out) run http only, which keeps quick within its 15 minutes (their echo
     * is in smoke and full). In full the same cases as a strategy. Its open-loop runs take the
     * common rates (and its own-peak fractions, see {@link #ownPeakFractions}), but its peak never
     * sets the common ladder (see {@code OpenLoopPhase.Seed}).
     */
    public List<BenchmarkCase> externalCases(Workload workload, String server, boolean reference) {
        if (workload != Workload.ECHO && workload != Workload.HTTP) {
            return cases(workload, server);
        }
        if (this == QUICK && reference && workload == Workload.ECHO) {
            return List.of();
        }
        return cases(workload, server).stream()
                .filter(c -> this == FULL
                        || c.method().equals("throughput") && !"16".equals(c.params().get("pipeline")))
                .toList();
    }

    /**
     * The fractions of its own peak a strategy's open loop runs at after the common ladder: in quick
     * a reference runs the common ladder only (the equal-rate rows are what it is there for, and
     * quick has a time budget); everyone else runs the profile's fractions.
     */
    public List<Double> ownPeakFractions(boolean reference) {
        return this == QUICK && reference ? List.of() : openLoop.fractionsOfPeak();
    }
}
