package io.asyncbench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Did an open-loop run keep up with the rate it was asked for? A server that fell behind has no
 * latency "at R/s": the requests did not go at R/s, or did not come back at R/s. Its latency would be
 * that of a growing queue, so a report shows it as "could not sustain R/s", with these figures.
 *
 * <p>A run at intended rate R over a window of D seconds <em>fell behind</em> when any of these hold:
 * <ol>
 *   <li>fewer than {@value #MIN_SHARE_PERCENT} % of R·D requests left the client during the window
 *       (the sent rate: connections still waiting for replies send late, the schedule slips);</li>
 *   <li>fewer than {@value #MIN_SHARE_PERCENT} % of R·D replies arrived by the window's end plus its
 *       grace (the completed rate);</li>
 *   <li>the window overran: the last reply came after the window's end plus its grace
 *       ({@link #grace}: a tenth of the window, at least 100 ms);</li>
 *   <li>the median send lag (how late requests left against their intended time) was above
 *       {@link #MAX_MEDIAN_SEND_LAG_NANOS}: then the client itself could not keep the schedule, and
 *       whatever it measured is not a latency at R.</li>
 * </ol>
 */
public final class Sustain {

    /** The share of the intended requests that must leave, and come back, in the window. */
    public static final int MIN_SHARE_PERCENT = 97;
    /** The most the median request may leave after its intended time. */
    public static final long MAX_MEDIAN_SEND_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MIN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * @param sustained true when the run kept up with its rate
     * @param reasons   why it fell behind, one phrase each ("sent 41,200/s of 50,000/s"); empty when sustained
     */
    public record Judgement(boolean sustained, List<String> reasons) {
        public Judgement {
            reasons = List.copyOf(reasons);
        }
    }

    private Sustain() {
    }

    /** The time after a window of {@code windowNanos} within which its replies still count. */
    public static long grace(long windowNanos) {
        return Math.max(MIN_GRACE_NANOS, windowNanos / 10);
    }

    /**
     * Judges one run.
     *
     * @param intendedRate      requests per second asked for
     * @param sentRate          requests intended in the window that left within it, per second of it
     * @param completedRate     replies to those that arrived by the window's end plus its grace, per second
     * @param overrunNanos      how long after the window's end the last reply came (0 or less: before)
     * @param windowNanos       the window's length
     * @param medianSendLagNanos the median of how late requests left against their intended time
     */
    public static Judgement judge(double intendedRate, double sentRate, double completedRate, long overrunNanos,
                                  long windowNanos, long medianSendLagNanos) {
        if (!(intendedRate > 0) || windowNanos <= 0) {
            throw new IllegalArgumentException("need a positive rate and window: " + intendedRate + "/s, "
                    + windowNanos + " ns");
        }
        List<String> reasons = new ArrayList<>();
        double min = intendedRate * MIN_SHARE_PERCENT / 100.0;
        if (sentRate < min) {
            reasons.add(String.format("sent %,.0f/s of %,.0f/s", sentRate, intendedRate));
        }
        if (completedRate < min) {
            reasons.add(String.format("completed %,.0f/s of %,.0f/s", completedRate, intendedRate));
        }
        if (overrunNanos > grace(windowNanos)) {
            reasons.add(String.format("the last reply came %,.0f ms after the window", overrunNanos / 1e6));
        }
        if (medianSendLagNanos > MAX_MEDIAN_SEND_LAG_NANOS) {
            reasons.add(String.format("requests left %,.2f ms late (median)", medianSendLagNanos / 1e6));
        }
        return new Judgement(reasons.isEmpty(), reasons);
    }
}
