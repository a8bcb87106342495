package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain once, on the test doubles: plan, JMH forks, a server process per benchmark,
 * the load generator, open-loop latency, the results folder. No speed is asserted.
 */
@Timeout(300)
class RunCommandTest {

    /** A smoke run of these strategies and workloads into {@code out}, unpinned, without the report; it must succeed. */
    private static Cli.Run smokeRun(Path out, String strategies, String workloads) {
        Cli.Run run = Cli.execute("run", "--profile", "smoke", "--strategies", strategies,
                "--workloads", workloads, "--out", out.toString(), "--no-report", "--no-pin");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return run;
    }

    @Test
    void smokeRunWritesAResultsFolderAndRecordsWhatItSkipped(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results");
        Cli.Run run = smokeRun(out, "fake-echo,fake-unavailable", "echo,http");
        assertThat(run.out()).contains("[1/2] echo.throughput fake-echo size=1024 connections=16")
                .contains("elapsed").contains("left")
                .contains("open loop echo size=1024 connections=16: common rates")
                .contains("common  25 % of slowest peak").contains("own     50 % of own peak");

        ObjectMapper json = new ObjectMapper();
        JsonNode results = json.readTree(out.resolve("jmh-result.json").toFile());
        assertThat(results).hasSize(2);
        assertThat(results.get(0).path("benchmark").asText()).isEqualTo("io.asyncbench.bench.EchoBenchmark.throughput");
        assertThat(results.get(0).path("params").path("strategy").asText()).isEqualTo("fake-echo");
        assertThat(results.get(0).path("secondaryMetrics").has("serverCpuNanosPerOp")).isTrue();
        // smoke caps the server warm-up at its minimum: it ends at the first check past 1 s
        assertThat(results.get(0).path("secondaryMetrics").path("serverWarmupMillis").path("score").asDouble())
                .isBetween(1000.0, 10_000.0);
        assertThat(results.get(0).path("secondaryMetrics").has("gc.alloc.rate.norm")).as("JMH 1.37 names it without the middle dot").isTrue();
        assertThat(results.get(1).path("mode").asText()).isEqualTo("sample");

        JsonNode metadata = json.readTree(out.resolve("metadata.json").toFile());
        assertThat(metadata.path("profile").asText()).isEqualTo("smoke");
        assertThat(metadata.path("finishedAt").asText()).isNotBlank();
        assertThat(metadata.path("failures").toString())
                .contains("fake-echo does not implement the http workload")
                .contains("fake-unavailable is unavailable here: " + FakeStrategies.UNAVAILABLE_REASON);

        JsonNode latency = json.readTree(out.resolve("latency/index.json").toFile());
        // smoke: the common ladder at 25 and 75 % of the slowest (here the only) peak, and 50 % of its own
        assertThat(latency).hasSize(3);
        assertThat(latency).extracting(e -> e.path("ladder").asText()).containsExactly("common", "common", "ownPeak");
        for (JsonNode e : latency) {
            assertThat(out.resolve("latency").resolve(e.path("file").asText())).exists();
            assertThat(out.resolve("latency").resolve(e.path("sendLag").path("file").asText())).exists();
            assertThat(e.path("sustained").isBoolean()).isTrue();
            assertThat(e.has("sentRatePerSecond") && e.has("completedRatePerSecond") && e.has("overran")).isTrue();
            assertThat(e.path("serverCpuNanosPerOp").asDouble()).isPositive();
            // smoke: 2 rounds, 2 sub-windows per slice
            assertThat(e.path("rounds").asInt()).isEqualTo(2);
            assertThat(e.path("slicesStartedAtMillis")).hasSize(2);
            assertThat(e.path("serverCpuNanosPerOpWindows")).hasSize(4);
            assertThat(e.path("loadGeneratorCpuPercent").isNumber()).isTrue();
        }
        // each round runs the common rates heaviest first (the first slices carry the most requests)
        assertThat(latency.get(0).path("intendedRatePerSecond").asDouble())
                .isEqualTo(Math.round(0.75 * results.get(0).path("primaryMetric").path("score").asDouble()));
        assertThat(latency.get(1).path("intendedRatePerSecond").asDouble())
                .isEqualTo(Math.round(0.25 * results.get(0).path("primaryMetric").path("score").asDouble()));
        assertThat(latency.get(0).path("serverJitMillis").isNumber()).isTrue();
        assertThat(Files.list(out.resolve("logs"))).isNotEmpty();
    }

    @Test
    void theStrategiesOfASettingTakeTurnsAtEachRate(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results");
        Cli.Run run = smokeRun(out, "fake-echo,selector", "echo");
        assertThat(run.out()).contains("round 1 of 2").contains("round 2 of 2");

        JsonNode latency = new ObjectMapper().readTree(out.resolve("latency/index.json").toFile());
        java.util.Map<Double, java.util.TreeMap<Long, String>> slicesByRate = new java.util.HashMap<>();
        for (JsonNode e : latency) {
            if (e.path("ladder").asText().equals("common")) {
                for (JsonNode at : e.path("slicesStartedAtMillis")) {
                    slicesByRate.computeIfAbsent(e.path("intendedRatePerSecond").asDouble(), r -> new java.util.TreeMap<>())
                            .put(at.asLong(), e.path("strategy").asText());
                }
            }
        }
        // two common rates, each run by both strategies in two rounds: in time order, they alternate
        assertThat(slicesByRate).hasSize(2);
        for (java.util.TreeMap<Long, String> slices : slicesByRate.values()) {
            java.util.List<String> order = java.util.List.copyOf(slices.values());
            assertThat(order).hasSize(4).containsOnly("fake-echo", "selector");
            assertThat(order.get(0)).isNotEqualTo(order.get(1));
            assertThat(order.get(2)).isNotEqualTo(order.get(3));
        }
    }

    @Test
    void dryRunPrintsThePlanAndItsDuration() {
        Cli.Run run = Cli.execute("run", "--profile", "full", "--strategies", "fake-echo", "--dry-run");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("profile full: 18 benchmarks").contains("echo.latency fake-echo size=102400 connections=1024")
                .contains("skip HttpBenchmark");
    }
}
