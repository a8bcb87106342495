package io.asyncbench.reports;

import java.util.Map;

/**
 * One JMH metric: the score, JMH's 99.9 % confidence half-width ({@code scoreError}, NaN when JMH had
 * too few samples to compute one), the interval and the unit.
 */
record Metric(double score, double error, double low, double high, String unit, Map<String, Double> percentiles) {

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
