package io.asyncbench.reports;

import java.util.List;
import java.util.Map;

/**
 * One JMH metric: the score, JMH's 99.9 % confidence half-width ({@code scoreError}, NaN when JMH had
 * too few samples to compute one), the interval, the unit, and the per-iteration scores behind it
 * ({@code rawData}, every fork's iterations; empty when the results do not carry them).
 */
record Metric(double score, double error, double low, double high, String unit, Map<String, Double> percentiles,
              List<Double> samples) {

    Metric {
        samples = List.copyOf(samples);
    }

    /** A metric without its per-iteration scores. */
    Metric(double score, double error, double low, double high, String unit, Map<String, Double> percentiles) {
        this(score, error, low, high, unit, percentiles, List.of());
    }

    double[] sampleArray() {
        return samples.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Whether anything can be said about the difference to {@code other}: both have per-iteration scores, or both an interval. */
    boolean judgeableAgainst(Metric other) {
        return (samples.size() >= 2 && other.samples.size() >= 2) || (hasError() && other.hasError());
    }

    /**
     * Whether the difference to {@code other} is real: Welch's t-test on the per-iteration scores
     * at {@link Welch#CONFIDENCE} when both carry at least 2; otherwise (older results) only when
     * the two confidence intervals do not overlap.
     */
    boolean differsFrom(Metric other) {
        Welch.Result w = Welch.test(sampleArray(), other.sampleArray());
        if (w != null) {
            return w.significant();
        }
        if (samples.size() >= 2 && other.samples.size() >= 2) {
            return false; // equal, without any scatter
        }
        return !overlaps(other);
    }

    boolean hasError() {
        return Double.isFinite(error) && Double.isFinite(low) && Double.isFinite(high);
    }

    /** The half-width of the interval as a fraction of the score; NaN without an interval. */
    double relativeError() {
        return hasError() && score != 0 ? error / Math.abs(score) : Double.NaN;
    }

    /**
     * Whether the two confidence intervals overlap: no real difference can be claimed. Without an
     * interval on either side nothing can be claimed either, so that counts as overlapping.
     */
    boolean overlaps(Metric other) {
        if (!hasError() || !other.hasError()) {
            return true;
        }
        return low <= other.high && other.low <= high;
    }
}
