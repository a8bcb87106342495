package io.asyncbench.reports;

import java.util.Arrays;
import java.util.Optional;

/** JMH's benchmark modes, as its JSON spells them, and which way is better for each. */
enum Mode {
    THROUGHPUT("thrpt", "throughput", true),
    AVERAGE_TIME("avgt", "average time", false),
    /** Closed loop: a slow reply delays the next request, so it suffers coordinated omission. */
    SAMPLE_TIME("sample", "closed-loop sampled time (coordinated omission)", false),
    SINGLE_SHOT("ss", "single-shot time", false);

    final String jmhName;
    final String label;
    /** Throughput: more is better. Every time mode: less is better. */
    final boolean higherIsBetter;

    Mode(String jmhName, String label, boolean higherIsBetter) {
        this.jmhName = jmhName;
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    static Optional<Mode> fromJmh(String name) {
        return Arrays.stream(values()).filter(m -> m.jmhName.equals(name)).findFirst();
    }

    /**
     * How good {@code score} is next to {@code reference}, as a factor where above 1 is better: for
     * throughput score/reference, for time reference/score. One scale for every mode, so a heat map
     * and a ratio column read the same way whatever was measured.
     */
    double performanceRatio(double score, double reference) {
        return higherIsBetter ? score / reference : reference / score;
    }

    /** True if {@code a} is better than {@code b}. */
    boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }
}
