package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The caveats under a workload's verdict, one line each: a saturated load side (client-bound: the load
 * generator plus the backends, which share its CPUs) or backends near their limit (then a score may be
 * theirs, not the server's), and how noisy the workload's scores are.
 */
final class Notes {

    /**
     * Above this share of its cores the load generator may be what limits a score. Its CPU use is a
     * mean over the iteration and includes the JMH fork's own JIT and GC threads, so a client loop
     * above ~90 % has almost no slack left to send sooner: the server may have had room to spare.
     */
    static final double LOAD_GENERATOR_SATURATED = 0.90;

    /**
     * Above this share of their one core the backends (gateway, proxy) may be what limits a score:
     * one thread, and it shares the load generator's CPUs, so it cannot go faster.
     */
    static final double BACKENDS_SATURATED = 0.90;

    /**
     * Above this share of the load CPUs, everything on them together (the load generator's client
     * threads plus the backends, which share those CPUs) may be what limits a throughput score: it is
     * client-bound, and the strategies rank by server CPU at equal load instead.
     */
    static final double LOAD_CPUS_SATURATED = 0.90;

    private Notes() {
    }

    /**
     * The share of the load CPUs a result used: load generator plus backends, over every load CPU;
     * NaN when the load generator's figure is missing.
     */
    static double loadCpusShare(BenchmarkResult r, CpuBudget cpus) {
        Metric lg = Secondary.LOAD_GENERATOR_CPU.of(r);
        if (lg == null) {
            return Double.NaN;
        }
        Metric backends = Secondary.BACKEND_CPU.of(r);
        double percent = lg.score() + (backends == null ? 0 : backends.score());
        return percent / 100.0 / cpus.loadCores();
    }

    /**
     * True when a result's load side was saturated: everything on the load CPUs above
     * {@link #LOAD_CPUS_SATURATED} of them, or the load generator's own client threads above it of
     * the cores they could use (one client thread cannot use a second load CPU). Its throughput is
     * client-bound.
     */
    static boolean clientBound(BenchmarkResult r, CpuBudget cpus) {
        return loadCpusShare(r, cpus) > LOAD_CPUS_SATURATED
                || Secondary.LOAD_GENERATOR_CPU.value(r, cpus) > LOAD_GENERATOR_SATURATED;
    }

    /** The larger of the two shares {@link #clientBound} judges, for the note. */
    private static double loadSideShare(BenchmarkResult r, CpuBudget cpus) {
        double lg = Secondary.LOAD_GENERATOR_CPU.value(r, cpus);
        double all = loadCpusShare(r, cpus);
        return Double.isNaN(lg) ? all : Double.isNaN(all) ? lg : Math.max(lg, all);
    }

    /** The client-bound throughput results of a workload's throughput benchmarks. */
    static List<BenchmarkResult> clientBound(List<Analysis.Benchmark> benchmarks, CpuBudget cpus) {
        return benchmarks.stream().filter(b -> b.mode() == Mode.THROUGHPUT).flatMap(b -> b.comparisons().stream())
                .flatMap(c -> c.rows().stream()).map(Comparison.Row::result).filter(r -> clientBound(r, cpus)).toList();
    }

    static List<Sentence> forWorkload(String workload, List<Analysis.Benchmark> benchmarks, CpuBudget cpus) {
        List<BenchmarkResult> results = benchmarks.stream().flatMap(b -> b.comparisons().stream())
                .flatMap(c -> c.rows().stream()).map(Comparison.Row::result).toList();
        List<Sentence> out = new ArrayList<>();
        Sentence bound = clientBoundNote(workload, benchmarks, cpus);
        if (bound != null) {
            out.add(bound);
        }
        Sentence backends = backends(workload, results, cpus);
        if (backends != null) {
            out.add(backends);
        }
        Noise.Summary noise = Noise.of(results);
        if (noise.noisy() > 0) {
            out.add(Sentence.builder().text("Noise: ").number(noise.noisy() + " of " + noise.withError())
                    .text((noise.withError() == 1 ? " score is" : " scores are") + " noisier than ±"
                            + Fmt.percent(Noise.THRESHOLD) + " (median error ")
                    .number("±" + Fmt.percent(noise.median())).text(").").build());
        }
        return List.copyOf(out);
    }

    private static Sentence clientBoundNote(String workload, List<Analysis.Benchmark> benchmarks, CpuBudget cpus) {
        List<BenchmarkResult> bound = clientBound(benchmarks, cpus);
        if (bound.isEmpty()) {
            return null;
        }
        long measured = benchmarks.stream().filter(b -> b.mode() == Mode.THROUGHPUT).flatMap(b -> b.comparisons().stream())
                .flatMap(c -> c.rows().stream()).filter(r -> !Double.isNaN(loadCpusShare(r.result(), cpus))).count();
        BenchmarkResult top = bound.stream().max(Comparator.comparingDouble(r -> loadSideShare(r, cpus))).orElseThrow();
        return Sentence.builder().text("Client-bound: the load CPUs (load generator plus backends) were more than "
                        + Fmt.percent(LOAD_CPUS_SATURATED) + " busy in ").number(bound.size() + " of " + measured)
                .text(" throughput results (highest: ").strategy(top.strategy()).text(" ")
                .number(String.format(java.util.Locale.ROOT, "%.1f %%", 100 * loadSideShare(top, cpus))).text(" in " + top.group().label()
                        + "): those scores are the load side's limit; rank by server CPU per "
                        + KnownWorkload.operation(workload) + " at equal load.")
                .build();
    }

    private static Sentence backends(String workload, List<BenchmarkResult> results, CpuBudget cpus) {
        Saturation s = saturation(results, Secondary.BACKEND_CPU, BACKENDS_SATURATED, cpus);
        if (s == null) {
            return null;
        }
        return s.sentence("The backends used more than " + Fmt.percent(BACKENDS_SATURATED)
                + " of their one core in ", "): the backends set the pace; compare server CPU per "
                + KnownWorkload.operation(workload) + ".");
    }

    /** The results where {@code cpu} exceeded {@code threshold}, out of those that measured it; null if none did. */
    private static Saturation saturation(List<BenchmarkResult> results, Secondary cpu, double threshold,
                                         CpuBudget cpus) {
        List<BenchmarkResult> measured = results.stream().filter(r -> cpu.of(r) != null).toList();
        List<BenchmarkResult> saturated = measured.stream().filter(r -> cpu.value(r, cpus) > threshold).toList();
        if (saturated.isEmpty()) {
            return null;
        }
        BenchmarkResult top = saturated.stream().max(Comparator.comparingDouble(r -> cpu.value(r, cpus))).orElseThrow();
        return new Saturation(cpu, cpus, measured.size(), saturated.size(), top);
    }

    private record Saturation(Secondary cpu, CpuBudget cpus, int measured, int saturated, BenchmarkResult top) {
        Sentence sentence(String opening, String closing) {
            return Sentence.builder().text(opening).number(saturated + " of " + measured)
                    .text(" results (highest: ").strategy(top.strategy()).text(" ").number(cpu.format(top, cpus))
                    .text(" in " + top.group().label() + closing)
                    .build();
        }
    }
}
