package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ratios, overlap marks, verdicts and baseline flags, computed from numbers chosen by hand. */
class AnalysisTest {

    static BenchmarkResult result(String benchmark, Mode mode, String strategy, Map<String, String> params,
                                  double score, double error) {
        String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        String workload = simple.replace("Benchmark", "").toLowerCase(java.util.Locale.ROOT);
        Metric m = new Metric(score, error, score - error, score + error, mode == Mode.THROUGHPUT ? "ops/s" : "ms/op", Map.of());
        return new BenchmarkResult(benchmark, workload, benchmark.substring(benchmark.lastIndexOf('.') + 1), mode,
                strategy, Params.sorted(params), m, Map.of(), 1, 2, 3, 5);
    }

    static BenchmarkResult echo(String strategy, int connections, double score, double error) {
        return result("io.asyncbench.bench.EchoBenchmark.roundTrip", Mode.THROUGHPUT, strategy,
                Map.of("connections", String.valueOf(connections)), score, error);
    }

    static Results results(List<BenchmarkResult> benchmarks) {
        return new Results(Path.of("results"), benchmarks, Lineups.metadata(), false, List.of());
    }

    /** One open-loop recording with a flat distribution at {@code p99Micros}. */
    static LatencyRun openLoop(String strategy, double rate, Double fraction, double p99Micros) {
        var points = List.of(new LatencyRun.Point(p99Micros / 2, 0.5, 50), new LatencyRun.Point(p99Micros, 0.99, 99),
                new LatencyRun.Point(p99Micros, 1.0, 100));
        return new LatencyRun(strategy + rate + ".hgrm", "echo", strategy, Params.sorted(Map.of("connections", "64")),
                rate, fraction, new LatencyRun.Histogram(points, p99Micros / 2, 1, p99Micros, 100));
    }

    @Test
    void ownPeakFractionsAreGroupedButMakeNoVerdict() {
        // Each strategy's rates are fractions of its own peak: no two strategies share an exact rate.
        List<LatencyRun> runs = List.of(
                openLoop("selector", 30_000, 0.5, 200), openLoop("selector", 45_000, 0.75, 900),
                openLoop("futures", 10_000, 0.5, 400), openLoop("futures", 15_000, 0.75, 300));
        Results r = new Results(Path.of("results"), List.of(echo("selector", 1, 100, 1)), Metadata.unknown(), false, runs);
        Analysis.WorkloadReport w = Analysis.of(r, Optional.empty()).workloads.get(0);

        assertThat(w.latency()).extracting(Analysis.LatencyGroup::label)
                .containsExactly("50 % of own peak · connections=64", "75 % of own peak · connections=64");
        assertThat(w.latency()).allSatisfy(g -> assertThat(g.runs()).extracting(LatencyRun::strategy)
                .containsExactlyInAnyOrder("selector", "futures"));
        // Latency verdicts compare equal rates only: at own-peak fractions the loads differ (issue 9).
        assertThat(w.verdict()).extracting(Sentence::plain).noneMatch(s -> s.contains("p99"));

        // Without a fraction (older results) the exact rate still groups them.
        Results old = new Results(Path.of("results"), List.of(echo("selector", 1, 100, 1)), Metadata.unknown(), false,
                List.of(openLoop("selector", 20_000, null, 200), openLoop("futures", 20_000, null, 400)));
        assertThat(Analysis.of(old, Optional.empty()).workloads.get(0).latency()).singleElement()
                .satisfies(g -> assertThat(g.label()).isEqualTo("20,000 req/s · connections=64"))
                .satisfies(g -> assertThat(g.runs()).hasSize(2));
    }

    @Test
    void aMethodNamedLikeItsModeIsNamedOnce() {
        // The bench calls its throughput method "throughput"; "throughput (throughput)" said it twice.
        Map<String, String> p = Map.of("connections", "64");
        List<BenchmarkResult> rs = List.of(
                result("io.asyncbench.bench.EchoBenchmark.throughput", Mode.THROUGHPUT, "selector", p, 130, 2),
                result("io.asyncbench.bench.EchoBenchmark.throughput", Mode.THROUGHPUT, "futures", p, 70, 2),
                result("io.asyncbench.bench.EchoBenchmark.latency", Mode.SAMPLE_TIME, "selector", p, 5, 0.1),
                result("io.asyncbench.bench.EchoBenchmark.latency", Mode.SAMPLE_TIME, "futures", p, 9, 0.1));
        Analysis.WorkloadReport w = Analysis.of(results(rs), Optional.empty()).workloads.get(0);
        assertThat(w.verdict()).extracting(Sentence::plain)
                .anyMatch(v -> v.startsWith("selector leads throughput by 1.86×"))
                .noneMatch(v -> v.contains("latency"))
                .noneMatch(v -> v.contains("throughput (throughput)"));
        // JMH's sampled time is closed-loop (coordinated omission): labelled so, and in no verdict
        assertThat(w.benchmarks()).extracting(Analysis.Benchmark::title)
                .containsExactly("throughput", "latency · closed-loop sampled time (coordinated omission)");
    }

    @Test
    void saturatedBackendsGetANoteThatPointsToServerCpu() {
        Map<String, String> p = Map.of("connections", "64");
        String gateway = "io.asyncbench.bench.GatewayBenchmark.throughput";
        List<BenchmarkResult> rs = List.of(
                FiguresTest.with(result(gateway, Mode.THROUGHPUT, "selector", p, 130, 2), "backendCpuPercent", 97.4),
                FiguresTest.with(result(gateway, Mode.THROUGHPUT, "futures", p, 70, 2), "backendCpuPercent", 89.6));
        assertThat(Analysis.of(results(rs), Optional.empty()).workloads.get(0).notes()).extracting(Sentence::plain)
                .containsExactly("The backends used more than 90 % of their one core in 1 of 2 results (highest:"
                        + " selector 97.4 % in throughput (thrpt) connections=64): the backends set the pace; compare"
                        + " server CPU per request.");
    }

    @Test
    void throughputRatiosToTheBestAndToNetty() {
        Comparison c = Comparison.of(echo("a", 1, 0, 0).group(), List.of(
                echo("selector", 1, 100_000, 1_000),
                echo("netty-nio", 1, 80_000, 1_000),
                echo("futures", 1, 50_000, 1_000)), Lineups.SHIPPED);

        assertThat(c.best().strategy()).isEqualTo("selector");
        assertThat(c.rows()).extracting(Comparison.Row::strategy).containsExactly("selector", "netty-nio", "futures");
        assertThat(c.row("futures").relToBest()).isCloseTo(0.5, within(1e-9));
        assertThat(c.row("selector").relToReference()).isCloseTo(1.25, within(1e-9));
        assertThat(c.row("netty-nio").relToReference()).isCloseTo(1.0, within(1e-9));
        assertThat(c.leadMargin()).isCloseTo(1.25, within(1e-9));
        assertThat(c.leadSignificant()).isTrue();
    }

    @Test
    void forTimeLowerIsBetterAndRatiosStillReadAboveOneIsBetter() {
        var params = Map.of("tasks", "1000");
        String b = "io.asyncbench.bench.TimersBenchmark.gather";
        Comparison c = Comparison.of(result(b, Mode.AVERAGE_TIME, "x", params, 1, 0).group(), List.of(
                result(b, Mode.AVERAGE_TIME, "platform-threads", params, 40, 1),
                result(b, Mode.AVERAGE_TIME, "netty-nio", params, 12, 0.5),
                result(b, Mode.AVERAGE_TIME, "virtual-threads", params, 10, 0.5)), Lineups.SHIPPED);

        assertThat(c.best().strategy()).isEqualTo("virtual-threads");
        assertThat(c.row("platform-threads").relToBest()).isCloseTo(0.25, within(1e-9));
        assertThat(c.row("virtual-threads").relToReference()).isCloseTo(1.2, within(1e-9));
        assertThat(c.leadMargin()).isCloseTo(1.2, within(1e-9));
    }

    @Test
    void overlappingIntervalsAreMarkedAsNoRealDifference() {
        Comparison c = Comparison.of(echo("a", 1, 0, 0).group(), List.of(
                echo("netty-epoll", 1, 100, 5),   // 95..105
                echo("virtual-threads", 1, 97, 3), // 94..100: overlaps the best
                echo("selector", 1, 90, 3),        // 87..93: overlaps neither the best nor virtual-threads
                echo("futures", 1, 60, 1)), Lineups.SHIPPED);

        assertThat(c.row("virtual-threads").sameAs()).containsExactly("netty-epoll");
        assertThat(c.row("virtual-threads").tiesBest(c)).isTrue();
        assertThat(c.row("netty-epoll").sameAs()).containsExactly("virtual-threads");
        assertThat(c.row("selector").sameAs()).isEmpty();
        assertThat(c.row("selector").tiesBest(c)).isFalse();
        assertThat(c.leadSignificant()).as("the best and the runner-up overlap").isFalse();
    }

    @Test
    void withoutAnErrorEstimateNothingIsSignificantAndNothingIsMarkedTheSame() {
        Comparison c = Comparison.of(echo("a", 1, 0, 0).group(), List.of(
                echo("netty-epoll", 1, 100, Double.NaN),
                echo("selector", 1, 50, Double.NaN)), Lineups.SHIPPED);
        assertThat(c.leadSignificant()).isFalse();
        assertThat(c.row("selector").sameAs()).isEmpty();
    }

    @Test
    void noisyResultsAreFlaggedAboveTheStatedThreshold() {
        Comparison c = Comparison.of(echo("a", 1, 0, 0).group(), List.of(
                echo("selector", 1, 100, 100 * Noise.THRESHOLD * 1.5),
                echo("netty-nio", 1, 100, 100 * Noise.THRESHOLD * 0.5)), Lineups.SHIPPED);
        assertThat(c.row("selector").noisy()).isTrue();
        assertThat(c.row("netty-nio").noisy()).isFalse();
        assertThat(Noise.resolvableRatio(0.10)).as("what ±10 % can still tell apart").isCloseTo(1.2222, within(1e-4));
        assertThat(Noise.resolvableRatio(1.5)).isInfinite();
        assertThat(Noise.label(0.1036)).as("a mark just past the threshold does not read as 10 %").isEqualTo("±10.4 %");
    }

    @Test
    void aMostlyNoisyRunIsSummarisedWithItsMedianErrorAndWhatItCanStillRank() {
        // Errors of 5, 20, 40, 60 and 80 %: four of five noisy, median 40 %.
        List<BenchmarkResult> rs = List.of(echo("selector", 1, 100, 5), echo("netty-nio", 1, 100, 20),
                echo("futures", 1, 100, 40), echo("callbacks", 1, 100, 60), echo("netty-epoll", 1, 100, 80),
                echo("virtual-threads", 1, 100, Double.NaN));
        Noise.Summary n = Noise.of(rs);
        assertThat(n.noisy()).isEqualTo(4);
        assertThat(n.withError()).as("a result without an estimate cannot be judged").isEqualTo(5);
        assertThat(n.median()).isCloseTo(0.40, within(1e-9));
        assertThat(n.worst().strategy()).isEqualTo("netty-epoll");

        String text = Analysis.of(results(rs), Optional.empty()).warnings.stream().map(Analysis.Warning::text)
                .filter(t -> t.contains("noisier")).findFirst().orElseThrow();
        assertThat(text).startsWith("4 of 5 scores are noisier than ±10 %")
                .contains("the median error is ±40 %", "the worst ±80 % (netty-epoll echo")
                .contains("must differ by more than 2.33× before their intervals separate")
                .endsWith("Each noisy score is marked ⚠ with its error.");
    }

    @Test
    void aMostlyPreciseRunSaysSoAndARunWithoutNoiseSaysNothing() {
        List<BenchmarkResult> rs = List.of(echo("selector", 1, 100, 2), echo("netty-nio", 1, 100, 3),
                echo("futures", 1, 100, 30));
        assertThat(Noise.of(rs).warning()).startsWith("1 of 3 scores").contains("Most scores are precise");
        assertThat(Noise.of(rs.subList(0, 2)).warning()).isNull();
    }

    @Test
    void verdictNamesTheCheapestInServerCpuWhenItIsNotTheLeader() {
        List<BenchmarkResult> rs = new ArrayList<>();
        for (int conns : new int[] {1, 64}) {
            rs.add(FiguresTest.with(echo("netty-epoll", conns, 130, 2), "serverCpuNanosPerOp", 7_500));
            rs.add(FiguresTest.with(echo("selector", conns, 100, 2), "serverCpuNanosPerOp", 6_000));
            rs.add(FiguresTest.with(echo("futures", conns, 70, 2), "serverCpuNanosPerOp", 11_000));
        }
        Analysis a = Analysis.of(results(rs), Optional.empty());
        List<String> verdict = a.workloads.get(0).verdict().stream().map(Sentence::plain).toList();

        assertThat(verdict.get(0)).startsWith("netty-epoll leads throughput");
        assertThat(verdict).contains("Cheapest in server CPU: selector 6.00 µs per round trip (median over settings;"
                + " least in 2 of 2, a real difference (Welch, 99 %) in 2), against 7.50 µs for the leader in throughput,"
                + " netty-epoll.");
        CpuVerdict.Cheapest c = CpuVerdict.of(a.workloads.get(0).benchmarks().get(0));
        assertThat(c.strategy()).isEqualTo("selector");
        assertThat(c.medianNanos()).containsEntry("netty-epoll", 7_500.0);
    }

    @Test
    void verdictSaysWhenTheLeaderIsAlsoTheCheapestAndNothingWithoutTheFigure() {
        List<BenchmarkResult> rs = List.of(
                FiguresTest.with(echo("selector", 1, 130, 2), "serverCpuNanosPerOp", 6_000),
                FiguresTest.with(echo("futures", 1, 70, 2), "serverCpuNanosPerOp", 11_000));
        List<String> verdict = Analysis.of(results(rs), Optional.empty()).workloads.get(0).verdict().stream()
                .map(Sentence::plain).toList();
        assertThat(verdict).contains("selector is also the cheapest in server CPU: 6.00 µs per round trip (a real difference, Welch's t-test at 99 %).");

        List<String> without = Analysis.of(results(List.of(echo("selector", 1, 130, 2), echo("futures", 1, 70, 2))),
                Optional.empty()).workloads.get(0).verdict().stream().map(Sentence::plain).toList();
        assertThat(without).noneMatch(t -> t.contains("server CPU"));
    }

    @Test
    void theAllocationVerdictUsesTheServersFigureNotTheLoadGenerators() {
        List<BenchmarkResult> rs = List.of(
                FiguresTest.with(echo("selector", 1, 130, 2), "serverAllocBytesPerOp", 25, "gc.alloc.rate.norm", 4242),
                FiguresTest.with(echo("futures", 1, 70, 2), "serverAllocBytesPerOp", 465, "gc.alloc.rate.norm", 4343));
        List<String> verdict = Analysis.of(results(rs), Optional.empty()).workloads.get(0).verdict().stream()
                .map(Sentence::plain).toList();
        assertThat(verdict).contains("Server allocation per round trip (median over settings): least selector 25 B,"
                + " most futures 465 B.");
        assertThat(String.join(" ", verdict)).doesNotContain("4.14 KiB", "4242");
    }

    @Test
    void aSaturatedLoadGeneratorGetsOneNotePerWorkload() {
        List<BenchmarkResult> rs = List.of(
                FiguresTest.with(echo("selector", 1, 130, 2), "loadGeneratorCpuPercent", 96.8),
                FiguresTest.with(echo("futures", 1, 70, 2), "loadGeneratorCpuPercent", 89.6),
                FiguresTest.with(echo("selector", 64, 130, 2), "loadGeneratorCpuPercent", 91),
                FiguresTest.with(echo("futures", 64, 70, 2), "loadGeneratorCpuPercent", 60));
        List<String> notes = Analysis.of(results(rs), Optional.empty()).workloads.get(0).notes().stream()
                .map(Sentence::plain).toList();
        assertThat(notes).containsExactly("Client-bound: the load CPUs (load generator plus backends) were more than"
                + " 90 % busy in 2 of 4 throughput results (highest: selector 96.8 % in roundTrip (thrpt)"
                + " connections=1): those scores are the load side's limit; rank by server CPU per round trip at"
                + " equal load.");

        List<BenchmarkResult> calm = List.of(
                FiguresTest.with(echo("selector", 1, 130, 2), "loadGeneratorCpuPercent", 89.6),
                FiguresTest.with(echo("futures", 1, 70, 2), "loadGeneratorCpuPercent", 50));
        assertThat(Analysis.of(results(calm), Optional.empty()).workloads.get(0).notes()).isEmpty();
    }

    @Test
    void theNoteCountsTheLoadGeneratorsCoresNotOneCore() {
        // Four client threads at 350 % of one core: 87.5 % of their four cores, not saturated.
        Metadata pinned = new Metadata(null, null, "quick", null, null, null, null, null, null, null, null, null,
                null, 8, null, "cpus 4-7", "cpus 0-3", Map.of(), List.of(), List.of());
        pinned = Lineups.withStrategies(pinned);
        List<BenchmarkResult> rs = List.of(
                FiguresTest.withThreads(FiguresTest.with(echo("selector", 64, 130, 2), "loadGeneratorCpuPercent", 350), 4),
                FiguresTest.withThreads(FiguresTest.with(echo("futures", 64, 70, 2), "loadGeneratorCpuPercent", 390), 4));
        Analysis a = Analysis.of(new Results(Path.of("results"), rs, pinned, true, List.of()), Optional.empty());
        assertThat(a.workloads.get(0).notes()).extracting(Sentence::plain)
                .containsExactly("Client-bound: the load CPUs (load generator plus backends) were more than 90 %"
                        + " busy in 1 of 2 throughput results (highest: futures 97.5 % in roundTrip (thrpt)"
                        + " connections=64): those scores are the load side's limit; rank by server CPU per round trip"
                        + " at equal load.");
    }

    @Test
    void eachWorkloadSaysHowNoisyItsScoresAre() {
        List<BenchmarkResult> rs = List.of(echo("selector", 1, 100, 30), echo("futures", 1, 100, 2),
                echo("callbacks", 1, 100, 3));
        assertThat(Analysis.of(results(rs), Optional.empty()).workloads.get(0).notes()).extracting(Sentence::plain)
                .containsExactly("Noise: 1 of 3 scores are noisier than ±10 % (median error ±3.0 %).");
    }

    @Test
    void verdictNamesTheLeaderItsMarginAndWhetherItIsSignificant() {
        List<BenchmarkResult> rs = new ArrayList<>();
        for (int conns : new int[] {1, 64, 1000}) {
            rs.add(echo("selector", conns, 130, 2));
            rs.add(echo("netty-nio", conns, 100, 2));
            rs.add(echo("futures", conns, 70, 2));
        }
        Analysis a = Analysis.of(results(rs), Optional.empty());
        List<String> verdict = a.workloads.get(0).verdict().stream().map(Sentence::plain).toList();

        assertThat(verdict.get(0)).isEqualTo("selector leads throughput in every one of the 3 settings, by a median"
                + " 1.30× over the runner-up; every one of those leads is a real difference (Welch's t-test, 99 %).");
        assertThat(verdict).contains("selector against the reference netty-nio: 1.30× (geometric mean).");
        assertThat(verdict).anyMatch(s -> s.startsWith("Next to the best, on average")
                && s.contains("selector 1.00×") && s.contains("futures 0.54×"));

        Verdicts.Lead lead = Verdicts.lead(a.workloads.get(0).benchmarks().get(0));
        assertThat(lead.leader()).isEqualTo("selector");
        assertThat(lead.wins()).isEqualTo(3);
        assertThat(lead.significant()).isEqualTo(3);
    }

    @Test
    void verdictCallsATieATie() {
        Analysis a = Analysis.of(results(List.of(echo("selector", 1, 101, 3), echo("netty-nio", 1, 100, 3))), Optional.empty());
        assertThat(a.workloads.get(0).verdict().get(0).plain())
                .isEqualTo("selector leads throughput by 1.01× over netty-nio, but no real difference (Welch's t-test, 99 %).");
    }

    @Test
    void verdictSaysWhereTheLeaderDoesNotLead() {
        List<BenchmarkResult> rs = List.of(
                echo("netty-epoll", 1, 90, 1), echo("virtual-threads", 1, 100, 1),
                echo("netty-epoll", 64, 200, 1), echo("virtual-threads", 64, 150, 1),
                echo("netty-epoll", 1000, 210, 1), echo("virtual-threads", 1000, 120, 1));
        Analysis a = Analysis.of(results(rs), Optional.empty());
        List<String> verdict = a.workloads.get(0).verdict().stream().map(Sentence::plain).toList();
        assertThat(verdict.get(0)).startsWith("netty-epoll leads throughput in 2 of 3 settings");
        assertThat(verdict.get(1)).isEqualTo("Elsewhere: virtual-threads at connections=1 (1.11×, significant).");
    }

    @Test
    void baselineFlagsChangesOnlyBeyondTheErrorBars() {
        Results before = results(List.of(
                echo("selector", 1, 100, 2),
                echo("netty-nio", 1, 100, 2),
                echo("futures", 1, 100, 2),
                echo("callbacks", 1, 100, 2)));
        Results now = results(List.of(
                echo("selector", 1, 120, 2),   // 118..122 vs 98..102: improved
                echo("netty-nio", 1, 80, 2),   // regressed
                echo("futures", 1, 103, 2),    // 101..105 overlaps 98..102: within error
                echo("platform-threads", 1, 50, 1)));

        BaselineComparison b = BaselineComparison.of(now, before);

        assertThat(b.forCurrent(now.benchmarks().get(0)).kind()).isEqualTo(BaselineComparison.Kind.IMPROVED);
        assertThat(b.forCurrent(now.benchmarks().get(0)).ratio()).isCloseTo(1.2, within(1e-9));
        assertThat(b.forCurrent(now.benchmarks().get(1)).kind()).isEqualTo(BaselineComparison.Kind.REGRESSED);
        assertThat(b.forCurrent(now.benchmarks().get(2)).kind()).isEqualTo(BaselineComparison.Kind.WITHIN_ERROR);
        assertThat(b.forCurrent(now.benchmarks().get(3)).kind()).isEqualTo(BaselineComparison.Kind.NEW);
        assertThat(b.changes()).filteredOn(c -> c.kind() == BaselineComparison.Kind.REMOVED)
                .extracting(c -> c.baseline().strategy()).containsExactly("callbacks");
        assertThat(b.changes().get(0).kind()).as("regressions come first").isEqualTo(BaselineComparison.Kind.REGRESSED);
    }

    @Test
    void baselineKnowsThatLessTimeIsAnImprovement() {
        String bm = "io.asyncbench.bench.TimersBenchmark.gather";
        var p = Map.of("tasks", "1000");
        BaselineComparison.Change c = BaselineComparison.compare(
                result(bm, Mode.AVERAGE_TIME, "selector", p, 8, 0.1),
                result(bm, Mode.AVERAGE_TIME, "selector", p, 10, 0.1));
        assertThat(c.kind()).isEqualTo(BaselineComparison.Kind.IMPROVED);
        assertThat(c.ratio()).isCloseTo(1.25, within(1e-9));
    }

    @Test
    void formatsNumbersForReaders() {
        assertThat(Fmt.num(123_456.7)).isEqualTo("123,457");
        assertThat(Fmt.num(12.34)).isEqualTo("12.3");
        assertThat(Fmt.errorLike(0.2036, 10.2)).isEqualTo("0.2");
        assertThat(Fmt.errorLike(1539.2, 61547)).isEqualTo("1,539");
        assertThat(Fmt.ratio(1.304)).isEqualTo("1.30×");
        assertThat(Fmt.bytes(2048)).isEqualTo("2 KiB");
        assertThat(Fmt.micros(1070)).isEqualTo("1.07 ms");
        assertThat(Fmt.micros(233)).isEqualTo("233 µs");
        assertThat(Fmt.percentile(0.999)).isEqualTo("99.9");
    }

    @Test
    void aDeliberateSkipIsACautionWhileAFailureIsAProblem() {
        Metadata metadata = new Metadata(null, null, "quick", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, java.util.Map.of(), List.of(), List.of(
                        new Metadata.Failure("io.asyncbench.bench.TimersBenchmark.gather",
                                java.util.Map.of("strategy", "platform-threads"),
                                "not measured: one OS thread per task"),
                        new Metadata.Failure("io.asyncbench.bench.GatewayBenchmark.throughput",
                                java.util.Map.of("strategy", "selector"), "status 504")));
        Results results = new Results(Path.of("results"), List.of(echo("selector", 1, 100, 1)), metadata, true, List.of());
        List<Analysis.Warning> warnings = Analysis.of(results, Optional.empty()).warnings;
        assertThat(warnings).anySatisfy(w -> {
            assertThat(w.level()).isEqualTo(Analysis.Level.CAUTION);
            assertThat(w.text()).startsWith("Not measured: io.asyncbench.bench.TimersBenchmark.gather")
                    .endsWith(": one OS thread per task");
        });
        assertThat(warnings).anySatisfy(w -> {
            assertThat(w.level()).isEqualTo(Analysis.Level.PROBLEM);
            assertThat(w.text()).startsWith("Failed: io.asyncbench.bench.GatewayBenchmark.throughput").endsWith("status 504");
        });
    }

    @Test
    void timersAreRankedOnOverheadNotOnTheWholeGather() {
        // Gather time: futures 100.9 ms beats selector 101.0 ms, but that is d = 100 ms plus an
        // overhead of 0.9 against 1.0 ms... and the overheads are what differ: selector 0.2 ms.
        Map<String, String> p = Map.of("tasks", "10000", "delayMs", "100");
        List<BenchmarkResult> rs = List.of(
                FiguresTest.with(result(FiguresTest.TIMERS, Mode.AVERAGE_TIME, "futures", p, 100.9, 0.01), "overheadMillis", 0.9),
                FiguresTest.with(result(FiguresTest.TIMERS, Mode.AVERAGE_TIME, "selector", p, 101.0, 0.01), "overheadMillis", 0.2));
        Analysis.Benchmark b = Analysis.of(results(rs), Optional.empty()).workloads.get(0).benchmarks().get(0);
        assertThat(b.title()).startsWith("gather overhead");
        Comparison c = b.comparisons().get(0);
        assertThat(c.best().strategy()).isEqualTo("selector");
        assertThat(c.row("futures").result().primary().score()).isEqualTo(0.9);
        assertThat(Analysis.of(results(rs), Optional.empty()).workloads.get(0).verdict()).extracting(Sentence::plain)
                .anyMatch(v -> v.startsWith("selector leads gather overhead by 4.50×"));
    }

    @Test
    void resultsMeasuredOnABusyMachineAreCountedAndNamedFirst() {
        Map<String, String> p = Map.of("connections", "64");
        String echo = "io.asyncbench.bench.EchoBenchmark.throughput";
        List<BenchmarkResult> rs = List.of(
                FiguresTest.with(result(echo, Mode.THROUGHPUT, "selector", p, 130, 2),
                        "otherCpuPercentServerCpus", 0.5, "otherCpuPercentLoadCpus", 4.9),
                FiguresTest.with(result(echo, Mode.THROUGHPUT, "futures", p, 70, 2),
                        "otherCpuPercentServerCpus", 12.0, "otherCpuPercentLoadCpus", 1.0),
                result(echo, Mode.THROUGHPUT, "callbacks", p, 70, 2));
        BusyMachine busy = BusyMachine.of(results(rs));
        assertThat(busy.busy()).isEqualTo(1);
        assertThat(busy.measured()).isEqualTo(2);
        assertThat(busy.worst()).isEqualTo(12.0);
        assertThat(busy.summary()).isEqualTo("1 of 2 results measured on a busy machine");
        Analysis a = Analysis.of(results(rs), Optional.empty());
        assertThat(a.warnings.get(0).level()).isEqualTo(Analysis.Level.PROBLEM);
        assertThat(a.warnings.get(0).text()).startsWith("1 of 2 results measured on a busy machine: ")
                .contains("more than 5 % of a core")
                .contains("futures echo throughput [connections=64] (others: 12.0 % of a core)");
    }
}
