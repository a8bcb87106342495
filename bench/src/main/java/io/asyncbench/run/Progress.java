package io.asyncbench.run;

import java.time.Duration;

/**
 * "[ 3/63] ... (0:42 elapsed, ~9:10 left)": which case of how many, and the time left, estimated
 * from the plan and corrected by how fast the run has actually been so far.
 */
final class Progress {

    private final Plan plan;
    private final long startNanos;
    private final long totalEstimateNanos;
    private long doneEstimateNanos;
    private int done;

    Progress(Plan plan, long startNanos) {
        this.plan = plan;
        this.startNanos = startNanos;
        this.totalEstimateNanos = plan.estimate().toNanos();
    }

    /** "[ 3/63]" for the case about to run (1-based). */
    String counter(int index) {
        int n = plan.cases().size();
        int width = Integer.toString(n).length();
        return String.format("[%" + width + "d/%d]", index + 1, n);
    }

    void finished(BenchmarkCase c) {
        done++;
        doneEstimateNanos += plan.estimate(c).toNanos();
    }

    Duration elapsed(long nowNanos) {
        return Duration.ofNanos(nowNanos - startNanos);
    }

    /** Time left: the estimate of what remains, scaled by actual/estimated so far. */
    Duration left(long nowNanos) {
        long remaining = totalEstimateNanos - doneEstimateNanos;
        if (done == 0 || doneEstimateNanos == 0) {
            return Duration.ofNanos(remaining);
        }
        double pace = (nowNanos - startNanos) / (double) doneEstimateNanos;
        return Duration.ofNanos((long) (remaining * pace));
    }

    String times(long nowNanos) {
        return "(" + format(elapsed(nowNanos)) + " elapsed, ~" + format(left(nowNanos)) + " left)";
    }

    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
