package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Welch's t-test against published answers: the two worked examples of the Wikipedia article
 * "Welch's t-test" (t, degrees of freedom and p as printed there, to their printed precision),
 * cross-checked with SciPy 1.17's {@code ttest_ind(equal_var=False)}: t -2.4554, df 24.989,
 * p 0.02138 and t -1.5654, df 9.9047, p 0.14884.
 */
class WelchTest {

    private static final double[] A1 = {27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
    private static final double[] A2 = {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};

    private static final double[] B1 = {17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8};
    private static final double[] B2 = {21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5,
            22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8};

    @Test
    void equalSizesUnequalVariances() {
        Welch.Result r = Welch.test(A1, A2);
        assertThat(r.t()).isCloseTo(-2.46, within(0.005));
        assertThat(r.df()).isCloseTo(24.99, within(0.005));
        assertThat(r.p()).isCloseTo(0.021, within(0.0005));
        assertThat(r.significant()).as("p = 0.021 is not below 1 %").isFalse();
    }

    @Test
    void unequalSizesAndVariances() {
        Welch.Result r = Welch.test(B1, B2);
        assertThat(r.t()).isCloseTo(-1.57, within(0.005));
        assertThat(r.df()).isCloseTo(9.90, within(0.005));
        assertThat(r.p()).isCloseTo(0.149, within(0.0005));
    }

    @Test
    void theTestIsSymmetric() {
        Welch.Result ab = Welch.test(A1, A2);
        Welch.Result ba = Welch.test(A2, A1);
        assertThat(ba.t()).isCloseTo(-ab.t(), within(1e-12));
        assertThat(ba.df()).isCloseTo(ab.df(), within(1e-12));
        assertThat(ba.p()).isCloseTo(ab.p(), within(1e-12));
    }

    @Test
    void aClearDifferenceIsSignificantAndTooFewSamplesAreNoTest() {
        Welch.Result r = Welch.test(new double[] {100, 101, 99, 100}, new double[] {120, 121, 119, 120});
        assertThat(r.significant()).isTrue();
        assertThat(Welch.test(new double[] {1}, new double[] {2, 3})).isNull();
    }

    @Test
    void theCriticalTIsStudentsQuantile() {
        // Student's t tables: t(0.995; 10) = 3.169, t(0.995; 30) = 2.750
        assertThat(Welch.criticalT(10)).isCloseTo(3.169, within(0.0005));
        assertThat(Welch.criticalT(30)).isCloseTo(2.750, within(0.0005));
    }

    @Test
    void theResolvableRatioFollowsFromTheTest() {
        // n = 6 each, 5 % relative standard deviation: d = t(0.995; 10) * 0.05 * sqrt(2/6) = 0.09148
        assertThat(Welch.resolvableRatio(0.05, 6)).isCloseTo(1 / (1 - 3.1693 * 0.05 * Math.sqrt(2.0 / 6)), within(1e-3));
        assertThat(Welch.resolvableRatio(0.9, 3)).isInfinite();
        assertThat(Welch.resolvableRatio(0.05, 1)).isNaN();
    }

    @Test
    void metricsWithPerIterationScoresAreComparedByTheTestNotByTheirIntervals() {
        // Intervals that overlap (huge errors), but per-iteration scores that clearly differ.
        Metric a = new Metric(100, 50, 50, 150, "ops/s", Map.of(), List.of(100.0, 101.0, 99.0, 100.0));
        Metric b = new Metric(120, 50, 70, 170, "ops/s", Map.of(), List.of(120.0, 121.0, 119.0, 120.0));
        assertThat(a.overlaps(b)).isTrue();
        assertThat(a.differsFrom(b)).isTrue();
        // Without per-iteration scores: the intervals decide, as before.
        Metric c = new Metric(100, 5, 95, 105, "ops/s", Map.of());
        Metric d = new Metric(102, 5, 97, 107, "ops/s", Map.of());
        assertThat(c.differsFrom(d)).isFalse();
    }
}
