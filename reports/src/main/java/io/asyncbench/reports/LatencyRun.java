package io.asyncbench.reports;

import java.util.List;
import java.util.SortedMap;

/**
 * One open-loop latency recording: the load generator sent at a fixed intended rate and timed each
 * request from its intended send time (wrk2's method, free of coordinated omission).
 */
record LatencyRun(
        String file,
        String workload,
        String strategy,
        SortedMap<String, String> params,
        double intendedRatePerSecond,
        Double fractionOfPeak,
        Histogram histogram,
        OpenLoopFigures figures) {

    LatencyRun {
        figures = figures == null ? OpenLoopFigures.NONE : figures;
    }

    /** A run from results that predate the open-loop figures. */
    LatencyRun(String file, String workload, String strategy, SortedMap<String, String> params,
               double intendedRatePerSecond, Double fractionOfPeak, Histogram histogram) {
        this(file, workload, strategy, params, intendedRatePerSecond, fractionOfPeak, histogram, OpenLoopFigures.NONE);
    }

    /** The .hgrm percentile distribution; values in microseconds. */
    record Histogram(List<Point> points, double mean, double stdDeviation, double max, long totalCount) {

        /** The value at the first row whose percentile reaches {@code percentile} (0..1). */
        double valueAt(double percentile) {
            for (Point p : points) {
                if (p.percentile() >= percentile - 1e-12) {
                    return p.value();
                }
            }
            return points.get(points.size() - 1).value();
        }

        /**
         * Whether enough requests back the percentile: 1 / (1 − p) of them, so p99.9 needs 1,000 and
         * p99.99 10,000. With fewer, the "percentile" is only the slowest few requests (or one).
         */
        boolean backs(double percentile) {
            return totalCount >= samplesNeeded(percentile);
        }

        static long samplesNeeded(double percentile) {
            return Math.round(1 / (1 - percentile));
        }

        /** The percentile for a table: its value, or "— (n < 1,000)" when too few requests back it. */
        String cell(double percentile) {
            return backs(percentile) ? Fmt.micros(valueAt(percentile))
                    : "— (n < " + Fmt.num(samplesNeeded(percentile)) + ")";
        }
    }

    record Point(double value, double percentile, long totalCount) {
    }
}
