package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The common open-loop ladder: the same absolute rates for every strategy. */
class RateLadderTest {

    @Test
    void ratesAreFractionsOfTheSlowestPeak() {
        Map<String, Double> peaks = new LinkedHashMap<>();
        peaks.put("netty-epoll", 120_000.0);
        peaks.put("platform-threads", 40_000.0);
        peaks.put("selector", 100_000.0);
        RateLadder ladder = RateLadder.of(peaks, List.of(0.9, 0.25, 0.5, 0.75));
        assertThat(ladder.slowestStrategy()).isEqualTo("platform-threads");
        assertThat(ladder.slowestPeak()).isEqualTo(40_000.0);
        assertThat(ladder.fractions()).containsExactly(0.25, 0.5, 0.75, 0.9);
        assertThat(ladder.rates()).containsExactly(10_000.0, 20_000.0, 30_000.0, 36_000.0);
    }

    @Test
    void failedOrNonsensePeaksAreIgnoredAndRatesAreWholeAndPositive() {
        Map<String, Double> peaks = new LinkedHashMap<>();
        peaks.put("a", Double.NaN);
        peaks.put("b", 0.0);
        peaks.put("c", 3.0);
        peaks.put("d", null);
        RateLadder ladder = RateLadder.of(peaks, List.of(0.1, 0.5));
        assertThat(ladder.slowestStrategy()).isEqualTo("c");
        assertThat(ladder.rates()).containsExactly(1.0, 2.0); // 0.3 -> at least 1; 1.5 -> 2
        assertThat(RateLadder.of(Map.of("a", -1.0), List.of(0.5))).isNull();
    }

    @Test
    void fractionsOutsideZeroToOneAreRefused() {
        assertThatThrownBy(() -> RateLadder.of(Map.of("a", 10.0), List.of(1.5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLadder.of(Map.of("a", 10.0), List.of(0.0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
