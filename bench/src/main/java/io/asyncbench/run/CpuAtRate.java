package io.asyncbench.run;

import java.util.ArrayList;
import java.util.List;

import org.openjdk.jmh.util.ListStatistics;

/**
 * Server CPU per operation at one open-loop rate, from the server's own stats read at the
 * boundaries of the measured window's sub-windows. The whole window gives the figure (CPU time over
 * operations); the sub-windows, each a measurement of the same thing, give its spread: the
 * {@value #CONFIDENCE_PERCENT} % confidence interval of their mean (Student's t), which the report
 * draws as error bars.
 *
 * @param nanosPerOp       server CPU time per operation over the whole window, ns
 * @param error            half-width of the confidence interval, ns; NaN with too few sub-windows
 *                         that had operations (JMH gives none below 3)
 * @param windowNanosPerOp each sub-window's CPU time per operation, ns (NaN where it had none)
 * @param cpuPercent       server CPU time over the window's wall time, percent of one core
 * @param operations       operations the server counted in the window
 */
public record CpuAtRate(double nanosPerOp, double error, List<Double> windowNanosPerOp, double cpuPercent,
                        long operations) {

    public static final int CONFIDENCE_PERCENT = 95;

    /**
     * One reading of the server's stats.
     *
     * @param atNanos    System.nanoTime() when it was read
     * @param cpuNanos   the server process's CPU time so far
     * @param operations operations the server has counted so far
     */
    public record Sample(long atNanos, long cpuNanos, long operations) {
    }

    public CpuAtRate {
        windowNanosPerOp = List.copyOf(windowNanosPerOp);
    }

    /** As {@link #of(List, long)} with no cost of reading the stats to take off. */
    public static CpuAtRate of(List<Sample> samples) {
        return of(samples, 0);
    }

    /**
     * Aggregates readings taken at the boundaries of consecutive sub-windows, in time order.
     *
     * @param readCostNanos the server's own CPU time for answering one stats request: each
     *                      sub-window holds about one such request's worth (the end of the one that
     *                      opens it, the start of the one that closes it), which is the measurement's
     *                      cost, not the traffic's, and is taken off
     * @return null with fewer than two readings, or when the window had no operations
     */
    public static CpuAtRate of(List<Sample> samples, long readCostNanos) {
        return ofSlices(List.of(samples), readCostNanos);
    }

    /**
     * Aggregates several measured slices at the same rate, each read at the boundaries of its own
     * consecutive sub-windows (the time between slices, when others ran, is in none): CPU time over
     * operations of all of them, the spread over all their sub-windows.
     *
     * @return null when no slice has two readings, or the slices had no operations
     */
    public static CpuAtRate ofSlices(List<List<Sample>> slices, long readCostNanos) {
        long ops = 0;
        long wall = 0;
        long cpu = 0;
        List<Double> parts = new ArrayList<>();
        ListStatistics stats = new ListStatistics();
        for (List<Sample> samples : slices) {
            if (samples.size() < 2) {
                continue;
            }
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            ops += last.operations() - first.operations();
            wall += last.atNanos() - first.atNanos();
            cpu += Math.max(0, last.cpuNanos() - first.cpuNanos() - readCostNanos * (samples.size() - 1));
            for (int i = 1; i < samples.size(); i++) {
                long dOps = samples.get(i).operations() - samples.get(i - 1).operations();
                long dCpu = Math.max(0, samples.get(i).cpuNanos() - samples.get(i - 1).cpuNanos() - readCostNanos);
                double v = dOps > 0 ? (double) dCpu / dOps : Double.NaN;
                parts.add(v);
                if (!Double.isNaN(v)) {
                    stats.addValue(v);
                }
            }
        }
        if (ops <= 0 || wall <= 0) {
            return null;
        }
        // JMH's own Student's t interval, as for every other error bar of the results
        double error = stats.getN() >= 2 ? stats.getMeanErrorAt(CONFIDENCE_PERCENT / 100.0) : Double.NaN;
        return new CpuAtRate((double) cpu / ops, error, parts, 100.0 * cpu / wall, ops);
    }
}
