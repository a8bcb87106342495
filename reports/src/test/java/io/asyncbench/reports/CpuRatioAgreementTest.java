package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Two runs' server CPU at equal load, compared as ratios between strategies. */
class CpuRatioAgreementTest {

    private static LatencyRun at(String strategy, double fraction, double rate, Boolean sustained, Double cpuNanos) {
        OpenLoopFigures f = new OpenLoopFigures("common", fraction, "futures", sustained, List.of(), rate, rate,
                50.0, 300.0, false, cpuNanos, 100.0, 95.0, 12.0, null);
        var points = List.of(new LatencyRun.Point(100, 0.5, 50), new LatencyRun.Point(200, 1.0, 100));
        return new LatencyRun(strategy + rate + ".hgrm", "http", strategy, Params.sorted(Map.of("connections", "256")),
                rate, null, new LatencyRun.Histogram(points, 150, 1, 200, 100), f);
    }

    @Test
    void pairsAreMatchedByLadderStepNotByAbsoluteRate() {
        // the baseline's slowest peak was a little higher, so its 50 % step is a different absolute rate
        List<LatencyRun> now = List.of(at("selector", 0.5, 20_000, true, 10_000.0), at("futures", 0.5, 20_000, true, 20_000.0),
                at("netty-epoll", 0.5, 20_000, true, 12_000.0));
        List<LatencyRun> then = List.of(at("selector", 0.5, 21_000, true, 11_000.0), at("futures", 0.5, 21_000, true, 22_000.0),
                at("netty-epoll", 0.5, 21_000, true, 14_300.0));
        CpuRatioAgreement a = CpuRatioAgreement.of(now, then, 0.05);
        assertThat(a.pairs()).hasSize(3);
        // futures/netty-epoll: 1.667 now, 1.538 then, 8.3 % apart; netty-epoll/selector: 1.2 against 1.3;
        // futures/selector: 2.0 both times
        assertThat(a.pairs().get(0).factorApart()).isCloseTo(1.3 / 1.2, within(1e-9));
        assertThat(a.pairs().get(0)).extracting(CpuRatioAgreement.Pair::a, CpuRatioAgreement.Pair::b)
                .containsExactly("netty-epoll", "selector");
        assertThat(a.pairs().get(2).factorApart()).isCloseTo(1.0, within(1e-9));
        assertThat(a.agreeing()).isEqualTo(1);
        assertThat(a.share()).isCloseTo(1 / 3.0, within(1e-9));
    }

    @Test
    void runsThatFellBehindOrLackCpuOrAreOwnPeakTakeNoPart() {
        LatencyRun ownPeak = AnalysisTest.openLoop("selector", 50_000, 0.5, 100);
        List<LatencyRun> now = List.of(at("selector", 0.75, 30_000, true, 10_000.0),
                at("futures", 0.75, 30_000, false, 20_000.0), at("netty-epoll", 0.75, 30_000, true, null), ownPeak);
        List<LatencyRun> then = List.of(at("selector", 0.75, 30_000, true, 10_000.0),
                at("futures", 0.75, 30_000, true, 20_000.0), at("netty-epoll", 0.75, 30_000, true, 9_000.0), ownPeak);
        CpuRatioAgreement a = CpuRatioAgreement.of(now, then, 0.05);
        assertThat(a.pairs()).isEmpty();
        assertThat(a.share()).isNaN();
    }

    @Test
    void aStepOnlyOneRunMeasuredIsLeftOutAndTheToleranceIsInclusive() {
        List<LatencyRun> now = List.of(at("selector", 0.25, 10_000, true, 10_000.0), at("futures", 0.25, 10_000, true, 10_500.0),
                at("selector", 0.9, 36_000, true, 10_000.0), at("futures", 0.9, 36_000, true, 10_000.0));
        List<LatencyRun> then = List.of(at("selector", 0.25, 10_000, true, 10_000.0),
                at("futures", 0.25, 10_000, true, 10_000.0));
        CpuRatioAgreement a = CpuRatioAgreement.of(now, then, 0.05);
        assertThat(a.pairs()).singleElement().satisfies(p -> {
            assertThat(p.fraction()).isEqualTo(0.25);
            assertThat(p.factorApart()).isCloseTo(1.05, within(1e-9));
        });
        assertThat(a.agreeing()).isEqualTo(1);
    }

    @Test
    void saysStepByStepHowManyAgreeAndWhetherTheRatesWereTheSame() {
        // 25 %: the same rates, 10 % apart; 50 %: other rates (a higher baseline peak), in agreement
        List<LatencyRun> now = List.of(at("selector", 0.25, 10_000, true, 10_000.0), at("futures", 0.25, 10_000, true, 22_000.0),
                at("selector", 0.5, 20_000, true, 8_000.0), at("futures", 0.5, 20_000, true, 16_000.0));
        List<LatencyRun> then = List.of(at("selector", 0.25, 10_000, true, 10_000.0), at("futures", 0.25, 10_000, true, 20_000.0),
                at("selector", 0.5, 22_000, true, 8_000.0), at("futures", 0.5, 22_000, true, 16_000.0));
        CpuRatioAgreement a = CpuRatioAgreement.of(now, then, 0.05);
        assertThat(a.byStep()).containsOnlyKeys(0.25, 0.5);
        assertThat(a.byStep().get(0.25)).containsExactly(0, 1);
        assertThat(a.byStep().get(0.5)).containsExactly(1, 1);
        assertThat(a.atSameRates()).isEqualTo(1);
        assertThat(a.detail()).isEqualTo("by step of the common ladder: 25 %: 0 of 1, 50 %: 1 of 1; 1 of 2 pairs at "
                + "the same rates in both runs (run --rates-from BASELINE drives a run at its baseline's rates)");
    }
}
