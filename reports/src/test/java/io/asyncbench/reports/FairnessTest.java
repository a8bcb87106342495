package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Jain's index, the spread, the stall count and the starvation rule, on inputs with known answers. */
class FairnessTest {

    private static ConnectionRun.Server server(long[] completed, double... gaps) {
        double[] g = gaps.length == 0 ? new double[completed.length] : gaps;
        return new ConnectionRun.Server(completed, g, 1000);
    }

    @Test
    void equalSharesAreperfectlyFair() {
        Fairness f = Fairness.of(List.of(server(new long[] {50, 50, 50, 50})));
        assertThat(f.jain()).isEqualTo(1.0);
        assertThat(f.min()).isEqualTo(1.0);
        assertThat(f.max()).isEqualTo(1.0);
        assertThat(f.stalled()).isZero();
        assertThat(f.starves()).isFalse();
    }

    @Test
    void oneConnectionTakingEverythingScoresOneOverN() {
        Fairness f = Fairness.of(List.of(server(new long[] {100, 0, 0, 0})));
        assertThat(f.jain()).isCloseTo(0.25, within(1e-12));
        assertThat(f.min()).isZero();
        assertThat(f.max()).isEqualTo(4.0); // 100 against a mean of 25
        assertThat(f.starves()).isTrue();
    }

    @Test
    void jainOfAKnownSpread() {
        // (1+2+3+4)^2 / (4 * (1+4+9+16)) = 100 / 120
        assertThat(Fairness.jain(new double[] {1, 2, 3, 4})).isCloseTo(100.0 / 120, within(1e-12));
        assertThat(Fairness.jain(new double[] {0, 0})).isNaN();
    }

    @Test
    void theSpreadIsEachConnectionAgainstItsOwnServersMean() {
        // server 1: mean 100 -> shares 0.5, 1.5; server 2: mean 10 -> shares 1, 1
        Fairness f = Fairness.of(List.of(server(new long[] {50, 150}), server(new long[] {10, 10})));
        assertThat(f.connections()).isEqualTo(4);
        assertThat(f.min()).isEqualTo(0.5);
        assertThat(f.max()).isEqualTo(1.5);
        assertThat(f.median()).isEqualTo(1.0);
        assertThat(f.jain()).isCloseTo(16.0 / (4 * (0.25 + 2.25 + 1 + 1)), within(1e-12));
    }

    @Test
    void theFirstPercentileIsTheNearestRank() {
        double[] sorted = new double[200];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1; // 1 .. 200
        }
        assertThat(Fairness.nearestRank(sorted, 0.01)).isEqualTo(2); // rank ceil(2) = 2
        assertThat(Fairness.nearestRank(new double[] {7, 8, 9}, 0.01)).isEqualTo(7);
        assertThat(Fairness.nearestRank(sorted, 0.5)).isEqualTo(100);
    }

    @Test
    void aConnectionSilentForASecondOrMoreIsStalled() {
        Fairness f = Fairness.of(List.of(
                server(new long[] {10, 10, 10, 10}, 999.9, 1000, 2500, 3),
                server(new long[] {10, 10}, 1000.1, 0)));
        assertThat(f.stalled()).isEqualTo(3); // 1000, 2500 and 1000.1; 999.9 is not
        assertThat(f.longestGapMillis()).isEqualTo(2500);
        assertThat(f.jain()).isEqualTo(1.0);
        assertThat(f.starves()).as("fair on average, but a connection waited a second").isTrue();
    }

    @Test
    void theRuleDrawsTheLineAtJainZeroPointNine() {
        assertThat(new Fairness(4, 0.5, 0.5, 1, 1.5, 0.9, 0, 10).starves()).isFalse();
        assertThat(new Fairness(4, 0.5, 0.5, 1, 1.5, 0.8999, 0, 10).starves()).isTrue();
        assertThat(new Fairness(4, 0.5, 0.5, 1, 1.5, 0.99, 1, 1000).starves()).isTrue();
    }

    @Test
    void theVerdictNamesTheStrategyThatStarves() {
        ConnectionRun fair = new ConnectionRun("io.asyncbench.bench.HttpBenchmark.throughput", "http", "selector",
                Params.sorted(java.util.Map.of("connections", "4")), List.of(server(new long[] {10, 10, 10, 10})));
        ConnectionRun unfair = new ConnectionRun("io.asyncbench.bench.HttpBenchmark.throughput", "http",
                "platform-threads", Params.sorted(java.util.Map.of("connections", "4")),
                List.of(server(new long[] {40, 0, 0, 0}, 1, 1500, 1500, 1500)));
        Results results = new Results(java.nio.file.Path.of("x"), List.of(), Metadata.unknown(), false, List.of(),
                List.of(fair, unfair));
        List<FairnessSection.Group> groups = FairnessSection.of(results, Lineups.SHIPPED.order());
        assertThat(groups).hasSize(1);
        List<Sentence> verdict = FairnessSection.verdict(groups, Lineups.SHIPPED.order());
        assertThat(verdict).hasSize(1);
        assertThat(verdict.get(0).plain()).startsWith("platform-threads starves connections at http throughput · connections=4: ")
                .contains("3 of 4 connections completed nothing for 1 s or more").doesNotContain("selector");
        assertThat(FairnessSection.verdict(List.of(new FairnessSection.Group("http", "g", fair.params(),
                List.of(new FairnessSection.Row("selector", Fairness.of(fair.servers()), fair)))), Lineups.SHIPPED.order()).get(0).plain())
                .startsWith("No strategy starved a connection");
    }
}
