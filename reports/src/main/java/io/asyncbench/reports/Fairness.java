package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How evenly a server shared itself between its connections, from what each completed: every
 * connection's count divided by the mean of its server JVM (1 = its fair share), pooled over the
 * server JVMs behind a result.
 *
 * @param connections      connection counts pooled (connections × server JVMs)
 * @param min              the least-served connection's share of the mean
 * @param p1               the first percentile (nearest rank) of the shares
 * @param median           the median share
 * @param max              the most-served connection's share
 * @param jain             Jain's fairness index, (Σx)² / (n Σx²): 1 when every connection got the
 *                         same, 1/n when one got everything; NaN when nothing completed
 * @param stalled          connections that completed nothing for {@link #STALL_MILLIS} or more
 * @param longestGapMillis the longest any connection went without a completion
 */
record Fairness(int connections, double min, double p1, double median, double max, double jain, int stalled,
                double longestGapMillis) {

    /** A connection that completed nothing for this long was starved. */
    static final double STALL_MILLIS = 1000;
    /** "1 s": the stall threshold for a sentence or a column. */
    static final String STALL = "1 s";
    /** Below this Jain index the shares are too uneven to call the server fair. */
    static final double JAIN_FLOOR = 0.9;

    /** The shares of every connection of every server, each against its own server's mean. */
    static Fairness of(List<ConnectionRun.Server> servers) {
        List<Double> shares = new ArrayList<>();
        int stalled = 0;
        double longest = 0;
        for (ConnectionRun.Server s : servers) {
            double mean = Arrays.stream(s.completed()).average().orElse(0);
            for (long c : s.completed()) {
                shares.add(mean > 0 ? c / mean : 0);
            }
            for (double gap : s.longestGapMillis()) {
                stalled += gap >= STALL_MILLIS ? 1 : 0;
                longest = Math.max(longest, gap);
            }
        }
        double[] x = shares.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (x.length == 0) {
            throw new IllegalArgumentException("no connection to judge");
        }
        return new Fairness(x.length, x[0], nearestRank(x, 0.01), Verdicts.median(x), x[x.length - 1], jain(x),
                stalled, longest);
    }

    /** Jain's index of {@code x}: (Σx)² / (n Σx²); NaN when every value is 0. */
    static double jain(double[] x) {
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? Double.NaN : sum * sum / (x.length * squares);
    }

    /** The nearest-rank percentile of sorted values: the smallest value with at least {@code p} of them at or below it. */
    static double nearestRank(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * The starvation rule: a server starves connections when any of them completed nothing for
     * {@link #STALL_MILLIS} or more, or when Jain's index is below {@link #JAIN_FLOOR}.
     */
    boolean starves() {
        return stalled > 0 || jain < JAIN_FLOOR;
    }

    /** Jain's index with three decimals ("0.998"), "—" when undefined. */
    String jainText() {
        return Double.isFinite(jain) ? String.format(java.util.Locale.US, "%.3f", jain) : "—";
    }
}
