package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A tail percentile is shown only with the requests to back it: 1 / (1 - p) of them. */
class HistogramBackingTest {

    private static LatencyRun.Histogram histogram(long count) {
        return new LatencyRun.Histogram(List.of(new LatencyRun.Point(100, 0.5, count / 2),
                new LatencyRun.Point(900, 0.999, count), new LatencyRun.Point(1000, 0.9999, count)), 200, 50, 1000, count);
    }

    @Test
    void p999NeedsAThousandAndP9999TenThousand() {
        assertThat(LatencyRun.Histogram.samplesNeeded(0.999)).isEqualTo(1_000);
        assertThat(LatencyRun.Histogram.samplesNeeded(0.9999)).isEqualTo(10_000);
        assertThat(histogram(999).backs(0.999)).isFalse();
        assertThat(histogram(1_000).backs(0.999)).isTrue();
        assertThat(histogram(9_999).backs(0.9999)).isFalse();
        assertThat(histogram(10_000).backs(0.9999)).isTrue();
    }

    @Test
    void aHiddenPercentileSaysWhy() {
        LatencyRun.Histogram h = histogram(5_000);
        assertThat(h.cell(0.999)).isEqualTo(Fmt.micros(900));
        assertThat(h.cell(0.9999)).isEqualTo("— (n < 10,000)");
        assertThat(histogram(500).cell(0.999)).isEqualTo("— (n < 1,000)");
        assertThat(histogram(500).cell(0.5)).isEqualTo(Fmt.micros(100));
    }
}
