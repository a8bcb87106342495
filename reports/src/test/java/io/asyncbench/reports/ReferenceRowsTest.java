package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reference servers (asyncio, uvloop, c-epoll): shown beside the JVM styles, never ranked with them. */
class ReferenceRowsTest {

    private static BenchmarkResult echo(String strategy, double score, double cpuNanosPerOp) {
        BenchmarkResult plain = AnalysisTest.echo(strategy, 64, score, score / 100);
        Metric cpu = new Metric(cpuNanosPerOp, cpuNanosPerOp / 100, cpuNanosPerOp * 0.99, cpuNanosPerOp * 1.01,
                "ns/op", Map.of());
        return new BenchmarkResult(plain.benchmark(), plain.workload(), plain.method(), plain.mode(), strategy,
                plain.params(), plain.primary(), Map.of("serverCpuNanosPerOp", cpu), 1, 1, 1, 5);
    }

    private static final List<BenchmarkResult> RESULTS = List.of(
            echo("selector", 100_000, 11_700),
            echo("netty-epoll", 90_000, 15_000),
            echo("c-epoll", 150_000, 10_000),
            echo("asyncio", 30_000, 40_000));

    @Test
    void aFasterReferenceIsNeverTheBest() {
        Comparison c = Comparison.of(RESULTS.get(0).group(), RESULTS, Lineups.SHIPPED);

        assertThat(c.best().strategy()).isEqualTo("selector");
        assertThat(c.rows()).extracting(Comparison.Row::strategy).containsExactly("selector", "netty-epoll");
        assertThat(c.references()).extracting(Comparison.Row::strategy).containsExactly("c-epoll", "asyncio");
        assertThat(c.row("c-epoll").relToBest()).as("1.5x the best JVM style").isCloseTo(1.5, within(1e-9));
        assertThat(c.row("c-epoll").best()).isFalse();
        assertThat(c.leadMargin()).as("the runner-up is a JVM style").isCloseTo(100_000 / 90_000.0, within(1e-9));
    }

    @Test
    void everyCpuPerOperationIsAlsoAMultipleOfTheLimit() {
        Comparison c = Comparison.of(RESULTS.get(0).group(), RESULTS, Lineups.SHIPPED);

        assertThat(c.cpuToLimit(c.row("selector"))).isCloseTo(1.17, within(1e-9));
        assertThat(c.cpuToLimit(c.row("asyncio"))).isCloseTo(4.0, within(1e-9));
        assertThat(c.cpuToLimit(c.row("c-epoll"))).isCloseTo(1.0, within(1e-9));
        Comparison noLimit = Comparison.of(RESULTS.get(0).group(), RESULTS.subList(0, 2), Lineups.SHIPPED);
        assertThat(noLimit.cpuToLimit(noLimit.row("selector"))).isNaN();
    }

    @Test
    void theVerdictPlacesTheJvmStylesBetweenAsyncioAndTheLimit() {
        Results results = new Results(Path.of("results"), RESULTS, Lineups.metadata(), false, List.of());
        Analysis.WorkloadReport echo = Analysis.of(results, Optional.empty()).workloads.get(0);

        assertThat(echo.verdict()).extracting(Sentence::plain).contains(
                "Beside the references (connections=64), not ranked with the JVM styles: server CPU per round trip"
                        + " asyncio 40.0 µs, the JVM styles from 11.7 µs (selector, 1.17× the limit) to 15.0 µs"
                        + " (netty-epoll, 1.50× the limit), the machine's limit c-epoll 10.0 µs; throughput: c-epoll"
                        + " 150,000 (1.50× the best JVM style, selector), asyncio 30,000 (0.30× the best JVM style,"
                        + " selector).");
        assertThat(echo.verdict()).extracting(Sentence::plain)
                .allSatisfy(s -> assertThat(s).doesNotStartWith("c-epoll leads").doesNotStartWith("asyncio leads"));
    }
}
