package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Whether this run and its baseline agree on what ranks strategies: for every pair of strategies that
 * both runs measured at the same step of the common open-loop ladder, the ratio of their server CPU
 * per request now next to that ratio in the baseline. Absolute figures drift with the machine; a
 * ranking the user can act on is one whose ratios repeat.
 *
 * <p>Each run's ladder is a fraction of its own slowest peak, so the absolute rates differ a little
 * between runs: steps are matched by that fraction. Runs that could not sustain their rate, or have
 * no CPU figure, take no part.
 *
 * @param tolerance a pair agrees when its two ratios differ by at most this factor minus one (0.05 = 5 %)
 * @param pairs     every pair measured in both runs, the largest disagreement first
 */
record CpuRatioAgreement(double tolerance, List<Pair> pairs) {

    /** The agreement the issue tracker and the report quote: within 5 %. */
    static final double DEFAULT_TOLERANCE = 0.05;

    /**
     * One pair at one ladder step.
     *
     * @param ratioNow      a's CPU per request over b's, this run
     * @param ratioBaseline the same in the baseline
     */
    record Pair(String workload, SortedMap<String, String> params, double fraction, String a, String b,
                double ratioNow, double ratioBaseline) {

        /** How far apart the two ratios are, as a factor at least 1 (1.03 = 3 % apart). */
        double factorApart() {
            double q = ratioNow / ratioBaseline;
            return q >= 1 ? q : 1 / q;
        }
    }

    /** Pairs whose ratios agree within the tolerance. */
    long agreeing() {
        return pairs.stream().filter(p -> p.factorApart() <= 1 + tolerance + 1e-12).count();
    }

    /** The share of pairs that agree, 0..1; NaN without pairs. */
    double share() {
        return pairs.isEmpty() ? Double.NaN : (double) agreeing() / pairs.size();
    }

    static CpuRatioAgreement of(List<LatencyRun> now, List<LatencyRun> baseline, double tolerance) {
        Map<Step, Map<String, Double>> cpuNow = cpuByStep(now);
        Map<Step, Map<String, Double>> cpuThen = cpuByStep(baseline);
        List<Pair> pairs = new ArrayList<>();
        for (var e : cpuNow.entrySet()) {
            Map<String, Double> then = cpuThen.get(e.getKey());
            if (then == null) {
                continue;
            }
            List<String> both = e.getValue().keySet().stream().filter(then::containsKey).sorted().toList();
            for (int i = 0; i < both.size(); i++) {
                for (int j = i + 1; j < both.size(); j++) {
                    String a = both.get(i);
                    String b = both.get(j);
                    Step s = e.getKey();
                    pairs.add(new Pair(s.workload, s.params, s.fraction, a, b,
                            e.getValue().get(a) / e.getValue().get(b), then.get(a) / then.get(b)));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::factorApart).reversed());
        return new CpuRatioAgreement(tolerance, List.copyOf(pairs));
    }

    /** A ladder step of one benchmark setting; fractions are rounded to a percent (they are 0.25, 0.5 ...). */
    private record Step(String workload, SortedMap<String, String> params, double fraction) {
    }

    private static Map<Step, Map<String, Double>> cpuByStep(List<LatencyRun> runs) {
        Map<Step, Map<String, Double>> out = new LinkedHashMap<>();
        for (LatencyRun r : runs) {
            OpenLoopFigures f = r.figures();
            Double cpu = f.serverCpuNanosPerOp();
            if (!f.common() || f.couldNotSustain() || f.fractionOfSlowestPeak() == null || cpu == null || cpu <= 0) {
                continue;
            }
            Step step = new Step(r.workload(), r.params(), Math.round(f.fractionOfSlowestPeak() * 100) / 100.0);
            out.computeIfAbsent(step, k -> new LinkedHashMap<>()).put(r.strategy(), cpu);
        }
        return out;
    }
}
