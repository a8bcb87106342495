package io.asyncbench.reports;

import java.util.Arrays;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's t-test on the difference between two strategies' means: is it real, or could the
 * per-iteration scatter alone have produced it? Unlike Student's test it does not assume the two
 * have the same variance (a noisy strategy beside a steady one is the common case), and unlike
 * "the two 99.9 % intervals do not overlap" it asks the question about the difference itself, at
 * a stated confidence: non-overlap of two intervals is a far stricter and unnamed test.
 *
 * <p>The samples are per-iteration scores, over every independent server JVM behind a result
 * (forks, and fresh servers within a fork).
 */
final class Welch {

    /** Two-sided: a difference is called real when the chance of one this large from noise alone is below 1 %. */
    static final double CONFIDENCE = 0.99;

    /**
     * @param t  the difference of the means over its standard error
     * @param df Welch–Satterthwaite degrees of freedom
     * @param p  two-sided p-value: the chance of |t| at least this large if the means were equal
     */
    record Result(double t, double df, double p) {

        boolean significant() {
            return p < 1 - CONFIDENCE;
        }
    }

    private Welch() {
    }

    /** Null when either side has fewer than 2 samples, or neither varies and the means are equal. */
    static Result test(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return null;
        }
        double va = variance(a) / a.length;
        double vb = variance(b) / b.length;
        double diff = mean(a) - mean(b);
        double se2 = va + vb;
        if (se2 == 0) {
            return diff == 0 ? null : new Result(Math.copySign(Double.POSITIVE_INFINITY, diff), a.length + b.length - 2, 0);
        }
        double t = diff / Math.sqrt(se2);
        double df = se2 * se2 / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        double p = 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
        return new Result(t, df, p);
    }

    /** The two-sided critical t at {@link #CONFIDENCE} for {@code df} degrees of freedom. */
    static double criticalT(double df) {
        return new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
    }

    /**
     * The smallest ratio between two strategies this test calls real, when each has {@code n}
     * samples with relative standard deviation {@code cv}: the difference must exceed
     * t × cv × √(2 / n) of the mean (equal variances, so df = 2 (n − 1)). Infinite when that
     * reaches the whole mean.
     */
    static double resolvableRatio(double cv, int n) {
        if (n < 2 || !Double.isFinite(cv)) {
            return Double.NaN;
        }
        double d = criticalT(2.0 * (n - 1)) * cv * Math.sqrt(2.0 / n);
        return d >= 1 ? Double.POSITIVE_INFINITY : 1 / (1 - d);
    }

    static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    /** The sample variance (n − 1 in the denominator). */
    static double variance(double[] x) {
        double m = mean(x);
        double sum = 0;
        for (double v : x) {
            sum += (v - m) * (v - m);
        }
        return sum / (x.length - 1);
    }
}
