package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This run next to another one (--baseline): each benchmark's change, called a regression or an
 * improvement only when the difference is real, and whether the two runs agree on server CPU at equal
 * load as ratios between strategies (what a ranking rests on).
 */
record BaselineComparison(Results baseline, List<Change> changes, CpuRatioAgreement cpuAgreement) {

    enum Kind {
        REGRESSED("regressed"),
        IMPROVED("improved"),
        WITHIN_ERROR("within error"),
        NEW("new"),
        REMOVED("removed");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * @param ratio the current result next to the baseline, above 1 = better (whatever the mode)
     */
    record Change(BenchmarkResult current, BenchmarkResult baseline, double ratio, Kind kind) {

        BenchmarkResult any() {
            return current != null ? current : baseline;
        }
    }

    static BaselineComparison of(Results current, Results baseline) {
        Map<String, BenchmarkResult> before = new LinkedHashMap<>();
        baseline.benchmarks().forEach(b -> before.put(b.identity(), b));
        List<Change> changes = new ArrayList<>();
        for (BenchmarkResult now : current.benchmarks()) {
            BenchmarkResult then = before.remove(now.identity());
            if (then == null) {
                changes.add(new Change(now, null, Double.NaN, Kind.NEW));
            } else {
                changes.add(compare(now, then));
            }
        }
        before.values().forEach(then -> changes.add(new Change(null, then, Double.NaN, Kind.REMOVED)));
        changes.sort(Comparator.comparing(Change::kind)
                .thenComparingDouble(c -> c.kind() == Kind.REGRESSED ? c.ratio()
                        : Double.isFinite(c.ratio()) ? -Math.abs(Math.log(c.ratio())) : 0)
                .thenComparing(c -> c.any().identity()));
        return new BaselineComparison(baseline, List.copyOf(changes),
                CpuRatioAgreement.of(current.latency(), baseline.latency(), CpuRatioAgreement.DEFAULT_TOLERANCE));
    }

    static Change compare(BenchmarkResult now, BenchmarkResult then) {
        Mode mode = now.mode();
        double ratio = mode.performanceRatio(now.primary().score(), then.primary().score());
        Kind kind;
        if (!now.primary().differsFrom(then.primary())) {
            kind = Kind.WITHIN_ERROR;
        } else {
            kind = ratio > 1 ? Kind.IMPROVED : Kind.REGRESSED;
        }
        return new Change(now, then, ratio, kind);
    }

    long count(Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }

    Change forCurrent(BenchmarkResult r) {
        return changes.stream().filter(c -> c.current() == r).findFirst().orElse(null);
    }
}
