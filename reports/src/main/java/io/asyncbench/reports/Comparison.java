package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every strategy's result for one measurement (same benchmark, mode and parameters), best first, with
 * each one's ratio to the best and to the reference strategy, and which differences are real
 * ({@link Metric#differsFrom}: Welch's t-test on the per-iteration scores at {@link Welch#CONFIDENCE}).
 */
record Comparison(BenchmarkResult.GroupKey key, List<Row> rows, List<Row> references, Lineup lineup) {

    /**
     * One strategy's line.
     *
     * @param relToBest      how good next to the best, 0..1 (1 = the best); see {@link Mode#performanceRatio}
     * @param relToReference how good next to the peer ({@link Lineup#peer()}, netty-nio; above 1 = better);
     *                       NaN without a result of the peer
     * @param sameAs         the strategies with no real difference from this one (Welch's t-test)
     */
    record Row(BenchmarkResult result, double relToBest, double relToReference, boolean best,
               List<String> sameAs) {

        String strategy() {
            return result.strategy();
        }

        Metric metric() {
            return result.primary();
        }

        /** No real difference from the best: a tie for first place. */
        boolean tiesBest(Comparison c) {
            return !best && sameAs.contains(c.best().strategy());
        }

        boolean noisy() {
            return Noise.noisy(metric());
        }
    }

    /**
     * The JVM strategies ranked in {@code rows}, best first; the reference servers (asyncio, uvloop,
     * c-epoll) apart in {@code references}: each with its ratio to the best JVM strategy, but never
     * the best itself. With no JVM strategy at all, the references are ranked among themselves.
     */
    static Comparison of(BenchmarkResult.GroupKey key, List<BenchmarkResult> results, Lineup lineup) {
        List<BenchmarkResult> jvm = results.stream().filter(r -> !lineup.isReference(r.strategy())).toList();
        List<BenchmarkResult> refs = results.stream().filter(r -> lineup.isReference(r.strategy())).toList();
        if (jvm.isEmpty()) {
            return ranked(key, refs, List.of(), lineup);
        }
        Comparison ranked = ranked(key, jvm, List.of(), lineup);
        Mode mode = key.mode();
        double best = ranked.best().metric().score();
        List<Row> apart = refs.stream()
                .sorted(Comparator.comparingDouble((BenchmarkResult r) -> mode.performanceRatio(r.primary().score(), best))
                        .reversed())
                .map(r -> new Row(r, mode.performanceRatio(r.primary().score(), best), Double.NaN, false, List.of()))
                .toList();
        return new Comparison(key, ranked.rows(), apart, lineup);
    }

    private static Comparison ranked(BenchmarkResult.GroupKey key, List<BenchmarkResult> results, List<Row> apart,
                                     Lineup lineup) {
        Mode mode = key.mode();
        var sorted = new ArrayList<>(results);
        Comparator<BenchmarkResult> byScore = Comparator.comparingDouble(r -> r.primary().score());
        sorted.sort(mode.higherIsBetter ? byScore.reversed() : byScore);
        BenchmarkResult best = sorted.get(0);
        BenchmarkResult reference = results.stream()
                .filter(r -> r.strategy().equals(lineup.peer())).findFirst().orElse(null);
        List<Row> rows = new ArrayList<>();
        for (BenchmarkResult r : sorted) {
            double rel = mode.performanceRatio(r.primary().score(), best.primary().score());
            double ref = reference == null ? Double.NaN
                    : mode.performanceRatio(r.primary().score(), reference.primary().score());
            List<String> overlaps = sorted.stream()
                    .filter(o -> o != r && r.primary().judgeableAgainst(o.primary())
                            && !r.primary().differsFrom(o.primary()))
                    .map(BenchmarkResult::strategy)
                    .toList();
            rows.add(new Row(r, rel, ref, r == best, overlaps));
        }
        return new Comparison(key, List.copyOf(rows), apart, lineup);
    }

    /** The ranked rows, then the reference rows. */
    List<Row> allRows() {
        List<Row> all = new ArrayList<>(rows);
        all.addAll(references);
        return all;
    }

    /**
     * Server CPU per operation of {@code row} as a multiple of the machine's limit (the c-epoll
     * reference's in the same setting, {@link Lineup#limit()}): 1.17 = 17 % more CPU than the limit.
     * NaN without both figures.
     */
    double cpuToLimit(Row row) {
        Row limit = lineup.limit() == null ? null : row(lineup.limit());
        Metric mine = Secondary.SERVER_CPU_PER_OP.of(row.result());
        Metric theirs = limit == null ? null : Secondary.SERVER_CPU_PER_OP.of(limit.result());
        if (mine == null || theirs == null || !(theirs.score() > 0) || !Double.isFinite(mine.score())) {
            return Double.NaN;
        }
        return mine.score() / theirs.score();
    }

    Row best() {
        return rows.get(0);
    }

    /** The second best, or null when only one strategy ran. */
    Row runnerUp() {
        return rows.size() > 1 ? rows.get(1) : null;
    }

    /**
     * The leader really differs from the runner-up (Welch's t-test on their per-iteration scores;
     * older results without them: the intervals do not overlap). Without any measure of the scatter
     * (too few samples) no lead is significant.
     */
    boolean leadSignificant() {
        Row second = runnerUp();
        if (second == null) {
            return false;
        }
        return best().metric().differsFrom(second.metric());
    }

    /** How many times better the leader is than the runner-up (1.31 = 31 % better). */
    double leadMargin() {
        Row second = runnerUp();
        return second == null ? Double.NaN : 1 / second.relToBest();
    }

    /** The row of {@code strategy}, ranked or reference, or null. */
    Row row(String strategy) {
        return allRows().stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElse(null);
    }
}
