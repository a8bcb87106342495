package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a results folder says: per workload, every benchmark's comparisons across strategies, the
 * latency recordings grouped by rate, a verdict computed from those numbers, and the warnings a
 * reader must see before trusting any of it.
 */
final class Analysis {

    /** One benchmark method in one mode: one table in the report. */
    record Benchmark(String workload, String benchmark, String method, Mode mode, String unit,
                     List<String> paramKeys, List<Comparison> comparisons) {

        String title() {
            return sameAsMode() ? method : method + " · " + mode.label;
        }

        /** For a sentence: "latency (sampled time)", but "throughput" rather than "throughput (throughput)". */
        String name() {
            return sameAsMode() ? method : method + " (" + mode.label + ")";
        }

        /** The bench names its throughput method "throughput": the mode would only repeat it. */
        private boolean sameAsMode() {
            return method.equalsIgnoreCase(mode.label);
        }

        /** JMH's sample mode keeps a distribution: tables show its p50, p99 and p99.9 beside the mean. */
        boolean showsPercentiles() {
            return mode == Mode.SAMPLE_TIME && comparisons.stream().flatMap(c -> c.allRows().stream())
                    .allMatch(r -> r.metric().percentiles().containsKey("99.0"));
        }

        /** True when some setting has the machine's limit (c-epoll) with a server CPU figure. */
        boolean hasLimit() {
            return comparisons.stream().anyMatch(c -> c.allRows().stream().anyMatch(r -> !Double.isNaN(c.cpuToLimit(r))));
        }

        /** The workload's words for the unit ("round trips/s"). */
        String displayUnit() {
            return KnownWorkload.unit(workload, unit);
        }

        /**
         * The figures the table shows beside the score ({@link Secondary#columns}): a headline one
         * always, for "—" says it was not measured; the others when some result has them.
         */
        List<Secondary> figures() {
            return Secondary.columns(workload).stream()
                    .filter(s -> s.shown == Secondary.Shown.ALWAYS || comparisons.stream()
                            .flatMap(c -> c.allRows().stream()).anyMatch(r -> s.of(r.result()) != null))
                    .toList();
        }
    }

    /**
     * Open-loop runs of one workload and parameter set at one load, one per strategy. The bench sends
     * at a fraction of each strategy's own measured peak, so the exact rates differ by strategy and
     * the group is the fraction; results without a fraction (older runs) group by the exact rate.
     *
     * @param fractionOfPeak the share of each strategy's own peak, or null
     * @param rate           the intended rate when there is no fraction; NaN otherwise
     */
    record LatencyGroup(String workload, SortedMap<String, String> params, Double fractionOfPeak, double rate,
                        List<LatencyRun> runs, Lineup lineup) {

        /** "75 % of own peak" or "20,000 req/s", without the parameters. */
        String load() {
            return fractionOfPeak != null ? Fmt.percent(fractionOfPeak) + " of own peak" : Fmt.num(rate) + " req/s";
        }

        /** The same absolute rate for every strategy (the common ladder, or an older exact-rate group). */
        boolean equalRate() {
            return fractionOfPeak == null;
        }

        String label() {
            String p = Params.label(params);
            return load() + (p.isEmpty() ? "" : " · " + p);
        }

        /** For ordering groups from the lightest load to the heaviest. */
        double level() {
            return fractionOfPeak != null ? fractionOfPeak : rate;
        }
    }

    /**
     * @param verdict who leads, computed from the numbers
     * @param notes   the caveats a reader needs beside the verdict ({@link Notes})
     */
    record WorkloadReport(String workload, List<Benchmark> benchmarks, List<LatencyGroup> latency,
                          List<Sentence> verdict, List<Sentence> notes) {
    }

    /** How the bench words a benchmark it skipped on purpose, with the reason after it. */
    static final String NOT_MEASURED = "not measured:";

    enum Level {
        /** The numbers can be read, with care. */
        CAUTION,
        /** Part of the run failed or is missing. */
        PROBLEM
    }

    record Warning(Level level, String text) {
    }

    final Results results;
    /** The cores the server and the load generator had, for their CPU use as a share of them. */
    final CpuBudget cpus;
    final StrategyStyles styles;
    final List<WorkloadReport> workloads;
    final List<Warning> warnings;
    final Optional<BaselineComparison> baseline;
    /** The common open-loop ladder of every setting, workload by workload: the report's opening. */
    final List<EqualRates> equalRates;

    private Analysis(Results results, CpuBudget cpus, StrategyStyles styles, List<WorkloadReport> workloads,
                     List<Warning> warnings, Optional<BaselineComparison> baseline, List<EqualRates> equalRates) {
        this.equalRates = equalRates;
        this.results = results;
        this.cpus = cpus;
        this.styles = styles;
        this.workloads = workloads;
        this.warnings = warnings;
        this.baseline = baseline;
    }

    static Analysis of(Results results, Optional<Results> baselineResults) {
        return of(results, baselineResults, List.of());
    }

    /**
     * @param known the facts of strategies the caller knows (the command line: those on its class
     *              path), for results folders whose metadata.json carries none (see {@link Lineup})
     */
    static Analysis of(Results results, Optional<Results> baselineResults, List<Lineup.Entry> known) {
        Set<String> strategies = new LinkedHashSet<>();
        results.benchmarks().forEach(b -> strategies.add(b.strategy()));
        results.latency().forEach(l -> strategies.add(l.strategy()));
        baselineResults.ifPresent(b -> b.benchmarks().forEach(r -> strategies.add(r.strategy())));
        List<Lineup.Entry> fallback = new ArrayList<>(known);
        // a baseline's own facts stand for its strategies that this run has none for
        baselineResults.ifPresent(b -> b.metadata().strategies().stream().filter(s -> s.facts() != null)
                .forEach(s -> fallback.add(s.facts())));
        Lineup lineup = Lineup.of(results.metadata(), fallback);
        StrategyStyles styles = new StrategyStyles(strategies, lineup);

        Map<String, List<BenchmarkResult>> byWorkload = results.benchmarks().stream()
                .collect(Collectors.groupingBy(BenchmarkResult::workload,
                        () -> new TreeMap<>(KnownWorkload.ORDER), Collectors.toList()));
        results.latency().forEach(l -> byWorkload.computeIfAbsent(l.workload(), k -> new ArrayList<>()));

        CpuBudget cpus = CpuBudget.of(results.metadata());
        List<FairnessSection.Group> fairness = FairnessSection.of(results, lineup.order());
        List<WorkloadReport> workloads = new ArrayList<>();
        List<EqualRates> allEqualRates = new ArrayList<>();
        for (var e : byWorkload.entrySet()) {
            List<Benchmark> benchmarks = benchmarks(e.getKey(), e.getValue(), lineup);
            List<LatencyGroup> latency = latencyGroups(e.getKey(), results.latency(), lineup);
            List<EqualRates> equalRates = EqualRates.of(e.getKey(), results.latency(), styles.strategies(), lineup);
            allEqualRates.addAll(equalRates);
            workloads.add(new WorkloadReport(e.getKey(), benchmarks, latency,
                    concat(Verdicts.forWorkload(benchmarks, latency, equalRates,
                            !Notes.clientBound(benchmarks, cpus).isEmpty()), FairnessSection.forWorkload(e.getKey(), fairness, lineup.order())),
                    Notes.forWorkload(e.getKey(), benchmarks, cpus)));
        }
        Optional<BaselineComparison> baseline = baselineResults.map(b -> BaselineComparison.of(results, b));
        return new Analysis(results, cpus, styles, List.copyOf(workloads), warnings(results, baselineResults),
                baseline, List.copyOf(allEqualRates));
    }

    private static List<Sentence> concat(List<Sentence> a, List<Sentence> b) {
        List<Sentence> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static List<Benchmark> benchmarks(String workload, List<BenchmarkResult> given, Lineup lineup) {
        List<BenchmarkResult> results = given.stream().map(Analysis::rankedOnOverhead).toList();
        // benchmark + mode -> params -> results
        Map<String, Map<SortedMap<String, String>, List<BenchmarkResult>>> tables = new LinkedHashMap<>();
        results.stream()
                .sorted(Comparator.comparing(BenchmarkResult::benchmark).thenComparing(BenchmarkResult::mode))
                .forEach(r -> tables.computeIfAbsent(r.benchmark() + " " + r.mode().jmhName, k -> new TreeMap<>(Params.MAP_ORDER))
                        .computeIfAbsent(r.params(), k -> new ArrayList<>()).add(r));
        List<Benchmark> out = new ArrayList<>();
        for (var table : tables.values()) {
            List<Comparison> comparisons = new ArrayList<>();
            for (var group : table.values()) {
                comparisons.add(Comparison.of(group.get(0).group(), group, lineup));
            }
            BenchmarkResult first = comparisons.get(0).best().result();
            Set<String> keys = new java.util.TreeSet<>(Params.KEY_ORDER);
            table.keySet().forEach(p -> keys.addAll(p.keySet()));
            out.add(new Benchmark(workload, first.benchmark(), first.method(), first.mode(), first.primary().unit(),
                    List.copyOf(keys), List.copyOf(comparisons)));
        }
        // Throughput first: it is the workload's headline; latency and time modes follow.
        out.sort(Comparator.comparing((Benchmark b) -> b.mode() != Mode.THROUGHPUT).thenComparing(Benchmark::benchmark));
        return out;
    }

    /**
     * A timers result ranked on its overhead (the gather's time beyond d, {@code overheadMillis}),
     * not on the gather's whole time, where the fixed sleep d hides the differences; other results
     * as they are.
     */
    static BenchmarkResult rankedOnOverhead(BenchmarkResult r) {
        Metric overhead = r.secondaryNamed(Secondary.OVERHEAD.jmhName);
        if (!KnownWorkload.byId(r.workload()).filter(w -> w.runsInFork).isPresent() || overhead == null
                || !Double.isFinite(overhead.score())) {
            return r;
        }
        Metric asScore = new Metric(overhead.score(), overhead.error(), overhead.low(), overhead.high(), "ms/op",
                overhead.percentiles());
        return new BenchmarkResult(r.benchmark(), r.workload(), r.method() + " overhead", r.mode(), r.strategy(),
                r.params(), asScore, r.secondary(), r.threads(), r.forks(), r.warmupIterations(),
                r.measurementIterations());
    }

    private static List<LatencyGroup> latencyGroups(String workload, List<LatencyRun> runs, Lineup lineup) {
        Map<String, List<LatencyRun>> groups = new LinkedHashMap<>();
        runs.stream()
                .filter(r -> r.workload().equals(workload))
                .sorted(Comparator.comparing(LatencyRun::params, Params.MAP_ORDER)
                        .thenComparing(r -> r.fractionOfPeak() == null)
                        .thenComparingDouble(Analysis::level)
                        .thenComparing(LatencyRun::strategy, lineup.order()))
                .forEach(r -> groups.computeIfAbsent(Params.label(r.params()) + "@"
                                + (r.fractionOfPeak() != null ? "f" + r.fractionOfPeak() : "r" + r.intendedRatePerSecond()),
                        k -> new ArrayList<>()).add(r));
        return groups.values().stream()
                .map(g -> {
                    Double f = g.get(0).fractionOfPeak();
                    return new LatencyGroup(workload, g.get(0).params(), f,
                            f != null ? Double.NaN : g.get(0).intendedRatePerSecond(), List.copyOf(g), lineup);
                })
                .toList();
    }

    /** Same-fraction runs belong together whatever their rates (each is a share of its strategy's own peak). */
    private static double level(LatencyRun r) {
        return r.fractionOfPeak() != null ? r.fractionOfPeak() : r.intendedRatePerSecond();
    }

    private static List<Warning> warnings(Results results, Optional<Results> baseline) {
        List<Warning> out = new ArrayList<>();
        Metadata m = results.metadata();
        if (!results.hasMetadata()) {
            out.add(new Warning(Level.CAUTION, ResultsReader.METADATA + " is missing: the machine, JDK and commit"
                    + " of this run are unknown."));
        }
        if ("smoke".equals(m.profile())) {
            out.add(new Warning(Level.CAUTION, "This is a smoke run (a few seconds per benchmark): it shows that"
                    + " everything works, not which strategy is faster. Use the quick or full profile to compare."));
        }
        List<BenchmarkResult> all = results.benchmarks();
        long noError = all.stream().filter(r -> !r.primary().hasError()).count();
        if (noError > 0) {
            out.add(new Warning(Level.CAUTION, noError + " of " + all.size() + " results have no error estimate"
                    + " (too few iterations or forks for JMH to compute one): no difference between them can be"
                    + " called significant."));
        }
        String noise = Noise.of(all).warning();
        if (noise != null) {
            out.add(new Warning(Level.CAUTION, noise));
        }
        BusyMachine busy = BusyMachine.of(results);
        if (busy.any()) {
            out.add(0, new Warning(Level.PROBLEM, busy.warning()));
        }
        for (Metadata.Failure f : m.failures()) {
            // The bench records deliberate skips ("not measured: <reason>") beside real failures;
            // a skip with its reason is information, not a problem with the run.
            boolean skipped = f.message() != null && f.message().startsWith(NOT_MEASURED);
            String what = (f.benchmark() == null ? "a benchmark" : f.benchmark())
                    + (f.params().isEmpty() ? "" : " [" + Params.label(f.params()) + "]");
            out.add(skipped
                    ? new Warning(Level.CAUTION, "Not measured: " + what + ": "
                            + f.message().substring(NOT_MEASURED.length()).trim())
                    : new Warning(Level.PROBLEM, "Failed: " + what
                            + (f.message() == null ? "" : ": " + f.message())));
        }
        for (Metadata.StrategyInfo s : m.strategies()) {
            if (!s.available()) {
                out.add(new Warning(Level.CAUTION, "Strategy " + s.id() + " was not available on this machine"
                        + (s.reason() == null ? "" : ": " + s.reason()) + "."));
            }
        }
        baseline.ifPresent(b -> {
            Metadata bm = b.metadata();
            List<String> differs = new ArrayList<>();
            if (!java.util.Objects.equals(m.jdkVersion(), bm.jdkVersion())) {
                differs.add("JDK " + bm.jdkVersion() + " → " + m.jdkVersion());
            }
            if (!java.util.Objects.equals(m.cpuModel(), bm.cpuModel()) || !java.util.Objects.equals(m.cores(), bm.cores())) {
                differs.add("CPU");
            }
            if (!java.util.Objects.equals(m.profile(), bm.profile())) {
                differs.add("profile " + bm.profile() + " → " + m.profile());
            }
            if (!differs.isEmpty()) {
                out.add(new Warning(Level.CAUTION, "The baseline ran differently (" + String.join(", ", differs)
                        + "): some changes may come from that, not from the code."));
            }
        });
        return List.copyOf(out);
    }

    /**
     * How long the servers were warmed ({@code serverWarmupMillis}): "1,020 ms to 5,000 ms, median
     * 2,310 ms (28 benchmarks)"; null when no result has the figure.
     */
    static String serverWarmup(List<BenchmarkResult> results) {
        double[] ms = results.stream().map(Secondary.SERVER_WARMUP::of).filter(java.util.Objects::nonNull)
                .mapToDouble(Metric::score).sorted().toArray();
        if (ms.length == 0) {
            return null;
        }
        long quiet = results.stream().map(Secondary.SERVER_WARMUP_JIT_QUIET::of).filter(java.util.Objects::nonNull)
                .filter(m -> m.score() >= 0.5).count();
        long told = results.stream().map(Secondary.SERVER_WARMUP_JIT_QUIET::of).filter(java.util.Objects::nonNull).count();
        return Fmt.num(ms[0]) + " ms to " + Fmt.num(ms[ms.length - 1]) + " ms per server, median "
                + Fmt.num(Verdicts.median(ms)) + " ms (" + ms.length + (ms.length == 1 ? " benchmark)" : " benchmarks)")
                + (told == 0 ? "" : "; the JIT went quiet before the cap in " + quiet + " of " + told
                        + (quiet < told ? " (the others were measured while it still compiled)" : ""));
    }

    /** Every comparison of every workload, in report order. */
    List<Comparison> allComparisons() {
        return workloads.stream().flatMap(w -> w.benchmarks().stream()).flatMap(b -> b.comparisons().stream()).toList();
    }
}
