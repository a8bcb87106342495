package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The caveats under a workload's verdict, one line each: a load generator or backends near their limit
 * (then a score may be theirs, not the server's), and how noisy the workload's scores are.
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

    private Notes() {
    }

    static List<Sentence> forWorkload(String workload, List<Analysis.Benchmark> benchmarks, CpuBudget cpus) {
        List<BenchmarkResult> results = benchmarks.stream().flatMap(b -> b.comparisons().stream())
                .flatMap(c -> c.allRows().stream()).map(Comparison.Row::result).toList();
        List<Sentence> out = new ArrayList<>();
        Sentence load = loadGenerator(workload, results, cpus);
        if (load != null) {
            out.add(load);
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

    private static Sentence loadGenerator(String workload, List<BenchmarkResult> results, CpuBudget cpus) {
        Saturation s = saturation(results, Secondary.LOAD_GENERATOR_CPU, LOAD_GENERATOR_SATURATED, cpus);
        if (s == null) {
            return null;
        }
        return s.sentence("The load generator used more than " + Fmt.percent(LOAD_GENERATOR_SATURATED)
                + " of its CPU in ", "): those scores may be the load generator's limit rather than"
                + " the server's; server CPU per " + KnownWorkload.operation(workload)
                + " still compares the strategies.");
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
