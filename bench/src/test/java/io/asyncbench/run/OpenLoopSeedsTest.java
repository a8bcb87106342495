package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which throughput peaks set the open loop's common ladder. */
class OpenLoopSeedsTest {

    private static OpenLoopPhase.Seed seed(String strategy, double peak, boolean external) {
        BenchmarkCase c = new BenchmarkCase("HttpBenchmark", "throughput", strategy,
                Map.of("endpoint", "plaintext", "connections", "256", "pipeline", "1"), true);
        return new OpenLoopPhase.Seed(c, peak, external, List.of(0.5));
    }

    @Test
    void anExternalServersPeakNeverSetsTheCommonLadder() {
        List<OpenLoopPhase.Seed> setting = List.of(seed("selector", 74_000, false), seed("netty-epoll", 90_000, false),
                seed("asyncio", 39_000, true), seed("c-epoll", 91_000, true));
        assertThat(OpenLoopPhase.ladderPeaks(setting)).containsOnlyKeys("selector", "netty-epoll");
        RateLadder ladder = RateLadder.of(OpenLoopPhase.ladderPeaks(setting), List.of(0.25, 0.5));
        assertThat(ladder.slowestStrategy()).as("asyncio is slower, but is not a JVM style").isEqualTo("selector");
        assertThat(ladder.rates()).containsExactly(18_500.0, 37_000.0);
    }

    @Test
    void withOnlyExternalServersThereIsNoCommonLadder() {
        assertThat(OpenLoopPhase.ladderPeaks(List.of(seed("asyncio", 39_000, true)))).isEmpty();
        assertThat(RateLadder.of(Map.of(), List.of(0.25))).isNull();
    }
}
