package io.asyncbench.reports;

import java.util.Comparator;
import java.util.List;

/** How noisy the scores are: the threshold of the ⚠ mark, and the summary a reader sees before any table. */
final class Noise {

    /**
     * A figure whose 99.9 % half-width (JMH's scoreError) is wider than this fraction of its value is
     * marked noisy. Why 10 %: the report exists to rank strategies, and two results with half-width e
     * separate only when one is more than (1+e)/(1-e) times the other: 1.22× at 10 %, 1.5× at 20 %,
     * 2× at 33 %. Strategies doing the same work on the same JVM mostly differ by 1.1–1.5×, so beyond
     * ±10 % a result can no longer be placed among its neighbours. The threshold is not raised to
     * make a noisy run look clean: such a run gets a summary instead (how many, the median error, the
     * smallest difference it can resolve), and each marked cell shows its own error.
     */
    static final double THRESHOLD = 0.10;

    private Noise() {
    }

    static boolean noisy(Metric m) {
        double e = m.relativeError();
        return Double.isFinite(e) && e > THRESHOLD;
    }

    /** "±10.4 %": one decimal, so that a mark just past the threshold does not read as the threshold itself. */
    static String label(double relativeError) {
        return "±" + Fmt.num(relativeError * 100) + " %";
    }

    /** Two results of this relative half-width separate only when one is this many times the other; infinite from 1 (the interval reaches 0). */
    static double resolvableRatio(double relativeError) {
        return relativeError >= 1 ? Double.POSITIVE_INFINITY : (1 + relativeError) / (1 - relativeError);
    }

    /**
     * The noise of some scores.
     *
     * @param withError the scores with an error estimate (the others cannot be judged)
     * @param noisy     those wider than {@link #THRESHOLD}
     * @param median    the median relative error of the scores with an estimate; NaN without any
     * @param worst     the noisiest, or null
     * @param resolvable the smallest ratio between two strategies that Welch's t-test calls real at
     *                  the median scatter and sample count of the scores ({@link Welch#resolvableRatio});
     *                  NaN without per-iteration scores
     */
    record Summary(int total, int withError, int noisy, double median, BenchmarkResult worst, double resolvable) {

        /** The run-level warning, or null when nothing is noisy. */
        String warning() {
            if (noisy == 0) {
                return null;
            }
            StringBuilder s = new StringBuilder();
            s.append(noisy).append(" of ").append(withError).append(withError == 1 ? " score is" : " scores are")
                    .append(" noisier than ±").append(Fmt.percent(THRESHOLD))
                    .append(" (the 99.9 % error bars are wider than that share of the score); the median error is ±")
                    .append(Fmt.percent(median)).append(", the worst ±").append(Fmt.percent(worst.primary().relativeError()))
                    .append(" (").append(worst.strategy()).append(" ").append(worst.workload()).append(" ")
                    .append(worst.group().label()).append(").");
            boolean byTest = !Double.isNaN(resolvable);
            double ratio = byTest ? resolvable : resolvableRatio(median);
            String how = byTest ? " for Welch's t-test on their per-iteration scores to call the difference real at "
                    + Fmt.percent(Welch.CONFIDENCE) + " confidence" : " before their intervals separate";
            if (median <= THRESHOLD) {
                s.append(" Most scores are precise; read the marked ones with their error.");
                if (byTest && Double.isFinite(ratio)) {
                    s.append(" At the median scatter two strategies must differ by more than ").append(Fmt.ratio(ratio))
                            .append(how).append(".");
                }
            } else if (Double.isInfinite(ratio)) {
                s.append(" At the median scatter no difference short of the whole score is resolved: this run cannot"
                        + " rank the strategies at all. More iterations or server JVMs, or a quieter machine, help.");
            } else {
                s.append(" At the median scatter two strategies must differ by more than ").append(Fmt.ratio(ratio))
                        .append(how).append(": this run cannot rank strategies closer than that."
                                + " More iterations or server JVMs, or a quieter machine, narrow it.");
            }
            return s.append(" Each noisy score is marked ⚠ with its error.").toString();
        }
    }

    static Summary of(List<BenchmarkResult> results) {
        List<BenchmarkResult> judged = results.stream()
                .filter(r -> Double.isFinite(r.primary().relativeError())).toList();
        double[] errors = judged.stream().mapToDouble(r -> r.primary().relativeError()).sorted().toArray();
        int noisy = (int) judged.stream().filter(r -> noisy(r.primary())).count();
        BenchmarkResult worst = judged.stream()
                .max(Comparator.comparingDouble(r -> r.primary().relativeError())).orElse(null);
        return new Summary(results.size(), judged.size(), noisy, Verdicts.median(errors), worst, resolvable(results));
    }

    /** {@link Welch#resolvableRatio} at the median relative standard deviation and median sample count. */
    static double resolvable(List<BenchmarkResult> results) {
        List<double[]> samples = results.stream().map(r -> r.primary().sampleArray())
                .filter(x -> x.length >= 2 && Welch.mean(x) != 0).toList();
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double[] cvs = samples.stream().mapToDouble(x -> Math.sqrt(Welch.variance(x)) / Math.abs(Welch.mean(x)))
                .sorted().toArray();
        double[] ns = samples.stream().mapToDouble(x -> x.length).sorted().toArray();
        return Welch.resolvableRatio(Verdicts.median(cvs), (int) Math.floor(Verdicts.median(ns)));
    }
}
