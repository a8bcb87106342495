package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The common open-loop ladder: latency and server CPU compared at the same absolute rates. */
class EqualRatesTest {

    /** A common-ladder run with a flat distribution at {@code p99Micros} and a CPU figure. */
    static LatencyRun common(String strategy, double rate, double p99Micros, Boolean sustained, Double cpuNanos,
                             Double cpuError) {
        var points = List.of(new LatencyRun.Point(p99Micros / 2, 0.5, 50), new LatencyRun.Point(p99Micros, 0.99, 99),
                new LatencyRun.Point(p99Micros, 1.0, 100));
        OpenLoopFigures f = new OpenLoopFigures("common", rate / 40_000, "platform-threads", sustained,
                Boolean.FALSE.equals(sustained) ? List.of("sent 21,300/s of " + rate) : List.of(),
                Boolean.FALSE.equals(sustained) ? 21_300.0 : rate, Boolean.FALSE.equals(sustained) ? 21_280.0 : rate,
                Boolean.FALSE.equals(sustained) ? 4100.0 : 60.0, 300.0, false, cpuNanos, cpuError, 95.0, 12.0, null);
        return new LatencyRun(strategy + rate + ".hgrm", "echo", strategy, Params.sorted(Map.of("connections", "64")),
                rate, null, new LatencyRun.Histogram(points, p99Micros / 2, 1, p99Micros, 100), f);
    }

    private static final List<String> ORDER = List.of("selector", "futures", "platform-threads");

    private static List<LatencyRun> ladder() {
        return List.of(
                common("selector", 10_000, 200, true, 5000.0, 200.0),
                common("futures", 10_000, 300, true, 9000.0, 300.0),
                common("platform-threads", 10_000, 900, true, 12000.0, 500.0),
                common("selector", 36_000, 400, true, 4000.0, 100.0),
                common("futures", 36_000, 250, true, 4300.0, 400.0),
                common("platform-threads", 36_000, 90_000, false, 20000.0, 500.0),
                // own-peak runs are not part of the ladder
                AnalysisTest.openLoop("selector", 50_000, 0.5, 100));
    }

    @Test
    void groupsTheCommonRunsByRateAndLeavesOwnPeakRunsOut() {
        List<EqualRates> all = EqualRates.of("echo", ladder(), ORDER, Lineups.SHIPPED);
        assertThat(all).hasSize(1);
        EqualRates e = all.get(0);
        assertThat(e.rates()).containsExactly(10_000.0, 36_000.0);
        assertThat(e.strategies()).containsExactly("selector", "futures", "platform-threads");
        assertThat(e.slowestStrategy()).isEqualTo("platform-threads");
        assertThat(e.fellBehindAt(36_000)).containsExactly("platform-threads");
        assertThat(e.sustainedAt(36_000)).extracting(LatencyRun::strategy).containsExactly("selector", "futures");
    }

    @Test
    void aRunThatFellBehindNeverWinsOrLosesOnLatency() {
        EqualRates e = EqualRates.of("echo", ladder(), ORDER, Lineups.SHIPPED).get(0);
        // platform-threads' 90 ms p99 at 36,000/s is a queue, not a latency at that rate
        assertThat(e.bestP99(36_000)).isEqualTo(250);
        assertThat(e.headlineRate()).isEqualTo(36_000);
        assertThat(e.latencyVerdict().plain()).isEqualTo("At 36,000 requests/s for every strategy (connections=64):"
                + " lowest p99 futures 250 µs, highest selector 400 µs (1.60×); could not sustain it: platform-threads.");
    }

    @Test
    void cpuIsRankedAtTheHighestRateTwoStrategiesSustainedWithTheIntervalsJudged() {
        EqualRates e = EqualRates.of("echo", ladder(), ORDER, Lineups.SHIPPED).get(0);
        assertThat(e.cpuHeadlineRate()).isEqualTo(36_000);
        assertThat(e.byCpuAt(36_000)).extracting(LatencyRun::strategy).containsExactly("selector", "futures");
        // 4.0 ± 0.1 against 4.3 ± 0.4: 4.1 is not below 3.9, within the error bars
        assertThat(e.cpuVerdict().plain()).isEqualTo("Server CPU per round trip at 36,000 requests/s for every strategy"
                + " (connections=64): least selector 4.00 µs, most futures 4.30 µs (1.07×); within the error bars of"
                + " the next, futures.");
    }

    @Test
    void theVerdictOfAClientBoundWorkloadOpensWithCpuAtEqualLoad() {
        Results r = new Results(Path.of("results"), List.of(AnalysisTest.echo("selector", 1, 100, 1),
                AnalysisTest.echo("futures", 1, 90, 1)), Lineups.metadata(), false, ladder());
        List<Sentence> notBound = Analysis.of(r, Optional.empty()).workloads.get(0).verdict();
        assertThat(notBound.get(0).plain()).doesNotContain("client-bound");
        assertThat(notBound).extracting(Sentence::plain).anyMatch(s -> s.startsWith("Server CPU per round trip at 36,000"));

        var bound = List.of(FiguresTest.with(AnalysisTest.echo("selector", 1, 100, 1), "loadGeneratorCpuPercent", 99),
                FiguresTest.with(AnalysisTest.echo("futures", 1, 90, 1), "loadGeneratorCpuPercent", 98));
        List<Sentence> verdict = Analysis.of(new Results(Path.of("results"), bound, Lineups.metadata(), false, ladder()),
                Optional.empty()).workloads.get(0).verdict();
        assertThat(verdict.get(0).plain()).startsWith("Throughput here is client-bound");
        assertThat(verdict.get(1).plain()).startsWith("Server CPU per round trip at 36,000 requests/s");
    }

    @Test
    void withoutTwoSustainedStrategiesThereIsNoRanking() {
        List<LatencyRun> runs = List.of(common("selector", 10_000, 200, true, 5000.0, 200.0),
                common("futures", 10_000, 90_000, false, 9000.0, 300.0));
        EqualRates e = EqualRates.of("echo", runs, ORDER, Lineups.SHIPPED).get(0);
        assertThat(e.headlineRate()).isNull();
        assertThat(e.cpuVerdict()).isNull();
        assertThat(e.latencyVerdict().plain()).isEqualTo("Even at 10,000 requests/s (connections=64) fewer than two"
                + " strategies kept up; could not sustain it: futures.");
    }

    @Test
    void theReferencesAreShownButNeverRankedAndGetASentenceOfTheirOwn() {
        List<LatencyRun> runs = new java.util.ArrayList<>(ladder());
        runs.add(common("c-epoll", 36_000, 100, true, 2000.0, 50.0)); // cheaper and faster than every JVM style
        runs.add(common("asyncio", 36_000, 90_000, false, 30000.0, 900.0));
        runs.add(common("c-epoll", 10_000, 80, true, 2500.0, 50.0));
        runs.add(common("asyncio", 10_000, 700, true, 25000.0, 900.0));
        EqualRates e = EqualRates.of("echo", runs, List.of("selector", "futures", "platform-threads", "asyncio",
                "c-epoll"), Lineups.SHIPPED).get(0);
        assertThat(e.sustainedAt(36_000)).extracting(LatencyRun::strategy).containsExactly("selector", "futures");
        assertThat(e.bestP99(36_000)).as("c-epoll's 100 µs is not the best: it is not ranked").isEqualTo(250);
        assertThat(e.byCpuAt(36_000)).extracting(LatencyRun::strategy).containsExactly("selector", "futures");
        assertThat(e.referenceVerdict().plain()).isEqualTo("Beside the references at 36,000 requests/s"
                + " (connections=64), not ranked with the JVM styles: server CPU per round trip the JVM styles from"
                + " 4.00 µs (selector, 2.00× the limit) to 4.30 µs (futures, 2.15× the limit), the machine's limit"
                + " c-epoll 2.00 µs; could not sustain it: asyncio.");
        assertThat(EqualRates.of("echo", ladder(), ORDER, Lineups.SHIPPED).get(0).referenceVerdict()).as("no references ran").isNull();
    }

    @Test
    void theCouldNotSustainTextCarriesTheFigures() {
        LatencyRun behind = common("platform-threads", 36_000, 90_000, false, 20000.0, 500.0);
        assertThat(HtmlEqualRates.couldNotSustain(behind))
                .isEqualTo("could not sustain 36,000/s: sent 21,300/s, completed 21,280/s, send lag p50 4.10 ms");
    }
}
