package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run --rates-from: an earlier run's common ladder, setting by setting. */
class PinnedRatesTest {

    @TempDir
    Path dir;

    private static String run(String strategy, String ladder, double fraction, double rate) {
        return """
                {"workload":"http","strategy":"%s","params":{"strategy":"%s","connections":"256","endpoint":"plaintext","pipeline":"1"},
                 "intendedRatePerSecond":%s,"ladder":"%s","fractionOfSlowestPeak":%s,"slowestStrategy":"futures",
                 "slowestPeakPerSecond":40000.0}""".formatted(strategy, strategy, rate, ladder, fraction);
    }

    private Path index(String json) throws IOException {
        Files.createDirectories(dir.resolve("latency"));
        Files.writeString(dir.resolve("latency/index.json"), json);
        return dir;
    }

    @Test
    void takesEachSettingsCommonRatesLightestFirstWhateverTheStrategyOrTheOrder() throws IOException {
        PinnedRates pinned = PinnedRates.read(index("[" + String.join(",",
                run("selector", "common", 0.75, 30_000), run("selector", "common", 0.25, 10_000),
                run("futures", "common", 0.25, 10_000), run("futures", "ownPeak", 0.5, 20_000),
                run("futures", "common", 0.5, 20_000)) + "]"));
        RateLadder ladder = pinned.ladder("http",
                Map.of("strategy", "netty-epoll", "pipeline", "1", "endpoint", "plaintext", "connections", "256"));
        assertThat(ladder).isNotNull();
        assertThat(ladder.rates()).containsExactly(10_000.0, 20_000.0, 30_000.0);
        assertThat(ladder.fractions()).containsExactly(0.25, 0.5, 0.75);
        assertThat(ladder.slowestStrategy()).isEqualTo("futures");
        assertThat(pinned.settings()).isEqualTo(1);
        assertThat(pinned.ladder("http", Map.of("connections", "1024", "endpoint", "plaintext", "pipeline", "1")))
                .isNull();
        assertThat(pinned.ladder("echo", Map.of("connections", "256", "endpoint", "plaintext", "pipeline", "1")))
                .isNull();
    }

    @Test
    void aFolderWithoutOpenLoopRunsIsAClearError() {
        assertThatThrownBy(() -> PinnedRates.read(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no latency/index.json");
    }

    @Test
    void malformedIndexesAreClearErrors() throws IOException {
        assertThatThrownBy(() -> PinnedRates.read(index("[{\"workload\":")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> PinnedRates.read(index("{}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must hold a JSON array");
        assertThatThrownBy(() -> PinnedRates.read(index("[" + run("selector", "ownPeak", 0.5, 100) + "]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no runs of the common ladder");
        assertThatThrownBy(() -> PinnedRates.read(index("[" + run("selector", "common", 0.5, -3) + "]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive intendedRatePerSecond");
        assertThatThrownBy(() -> PinnedRates.read(index("[" + String.join(",", run("selector", "common", 0.5, 100),
                run("futures", "common", 0.5, 120)) + "]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two rates at step 0.5");
    }

    @Test
    void theRunKeyLeavesTheStrategyOutAndIgnoresParameterOrder() {
        assertThat(PinnedRates.key("echo", Map.of("strategy", "a", "size", "1024", "connections", "64")))
                .isEqualTo(PinnedRates.key("echo", new java.util.LinkedHashMap<>(Map.of("connections", "64",
                        "size", "1024"))));
        assertThat(List.of(PinnedRates.key("echo", Map.of("size", "1024")))).doesNotContain(
                PinnedRates.key("http", Map.of("size", "1024")));
    }
}
