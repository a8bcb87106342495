package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Whether this run and its baseline agree on what ranks strategies: for every pair of strategies that
 * both runs measured at the same step of the common open-loop ladder, the ratio of their server CPU
 * per request now next to that ratio in the baseline. Absolute figures drift with the machine; a
 * ranking the user can act on is one whose ratios repeat.
 *
 * <p>Each run's ladder is a fraction of its own slowest peak, so unless the second run was driven at
 * the first one's rates ({@code run --rates-from}) the absolute rates differ between runs: steps are
 * matched by that fraction, and each pair says whether its rates were the same. Runs that could not
 * sustain their rate, or have no CPU figure, take no part.
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
     * @param rateNow       the step's rate in this run, requests per second
     * @param rateBaseline  the step's rate in the baseline
     */
    record Pair(String workload, SortedMap<String, String> params, double fraction, String a, String b,
                double ratioNow, double ratioBaseline, double rateNow, double rateBaseline) {

        /** Both runs drove this step at the same rate (within half a percent). */
        boolean sameRate() {
            return Math.abs(rateNow - rateBaseline) <= 0.005 * Math.max(rateNow, rateBaseline);
        }

        boolean agrees(double tolerance) {
            return factorApart() <= 1 + tolerance + 1e-12;
        }

        /** How far apart the two ratios are, as a factor at least 1 (1.03 = 3 % apart). */
        double factorApart() {
            double q = ratioNow / ratioBaseline;
            return q >= 1 ? q : 1 / q;
        }
    }

    /** Pairs whose ratios agree within the tolerance. */
    long agreeing() {
        return pairs.stream().filter(p -> p.agrees(tolerance)).count();
    }

    /** Pairs whose step was driven at the same rate in both runs. */
    long atSameRates() {
        return pairs.stream().filter(Pair::sameRate).count();
    }

    /**
     * Agreement step by step of the ladder (the lightest steps carry the fewest operations per
     * window, so they agree least): "25 %" to {agreeing, pairs}, lightest first.
     */
    SortedMap<Double, long[]> byStep() {
        SortedMap<Double, long[]> out = new TreeMap<>();
        for (Pair p : pairs) {
            long[] counts = out.computeIfAbsent(p.fraction(), k -> new long[2]);
            counts[0] += p.agrees(tolerance) ? 1 : 0;
            counts[1]++;
        }
        return out;
    }

    /** The share of pairs that agree, 0..1; NaN without pairs. */
    double share() {
        return pairs.isEmpty() ? Double.NaN : (double) agreeing() / pairs.size();
    }

    /**
     * What stands behind the share, for the report's sentence: the agreement step by step and how
     * many pairs were driven at the same rates in both runs.
     */
    String detail() {
        StringBuilder text = new StringBuilder("by step of the common ladder: ");
        byStep().forEach((fraction, counts) -> text.append(Math.round(fraction * 100)).append(" %: ")
                .append(counts[0]).append(" of ").append(counts[1]).append(", "));
        text.setLength(text.length() - 2);
        long same = atSameRates();
        text.append("; ").append(same == pairs.size() ? "all" : same + " of " + pairs.size())
                .append(" pairs at the same rates in both runs");
        if (same < pairs.size()) {
            text.append(" (run --rates-from BASELINE drives a run at its baseline's rates)");
        }
        return text.toString();
    }

    static CpuRatioAgreement of(List<LatencyRun> now, List<LatencyRun> baseline, double tolerance) {
        Map<Step, Map<String, double[]>> cpuNow = cpuByStep(now);
        Map<Step, Map<String, double[]>> cpuThen = cpuByStep(baseline);
        List<Pair> pairs = new ArrayList<>();
        for (var e : cpuNow.entrySet()) {
            Map<String, double[]> then = cpuThen.get(e.getKey());
            if (then == null) {
                continue;
            }
            List<String> both = e.getValue().keySet().stream().filter(then::containsKey).sorted().toList();
            for (int i = 0; i < both.size(); i++) {
                for (int j = i + 1; j < both.size(); j++) {
                    String a = both.get(i);
                    String b = both.get(j);
                    Step s = e.getKey();
                    double[] nowA = e.getValue().get(a);
                    double[] thenA = then.get(a);
                    pairs.add(new Pair(s.workload, s.params, s.fraction, a, b, nowA[0] / e.getValue().get(b)[0],
                            thenA[0] / then.get(b)[0], nowA[1], thenA[1]));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::factorApart).reversed());
        return new CpuRatioAgreement(tolerance, List.copyOf(pairs));
    }

    /** A ladder step of one benchmark setting; fractions are rounded to a percent (they are 0.25, 0.5 ...). */
    private record Step(String workload, SortedMap<String, String> params, double fraction) {
    }

    /** Per step, each strategy's {CPU per request, rate}. */
    private static Map<Step, Map<String, double[]>> cpuByStep(List<LatencyRun> runs) {
        Map<Step, Map<String, double[]>> out = new LinkedHashMap<>();
        for (LatencyRun r : runs) {
            OpenLoopFigures f = r.figures();
            Double cpu = f.serverCpuNanosPerOp();
            if (!f.common() || f.couldNotSustain() || f.fractionOfSlowestPeak() == null || cpu == null || cpu <= 0) {
                continue;
            }
            Step step = new Step(r.workload(), r.params(), Math.round(f.fractionOfSlowestPeak() * 100) / 100.0);
            out.computeIfAbsent(step, k -> new LinkedHashMap<>()).put(r.strategy(),
                    new double[] {cpu, r.intendedRatePerSecond()});
        }
        return out;
    }
}
