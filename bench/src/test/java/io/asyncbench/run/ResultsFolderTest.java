package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.asyncbench.harness.Placement;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFolderTest {

    /** A JMH row as JMH writes it: an EVENTS counter reports its per-iteration share (value / 3). */
    static final String JMH_ROW = """
            [{"benchmark":"io.asyncbench.bench.EchoBenchmark.throughput","mode":"thrpt","threads":1,"forks":1,
              "warmupIterations":1,"measurementIterations":3,
              "params":{"connections":"64","size":"1024","strategy":"%s"},
              "primaryMetric":{"score":9050.7,"scoreError":"NaN","scoreConfidence":["NaN","NaN"],
                "scoreUnit":"ops/s","rawData":[[8125.2,9976.2,9050.7]]},
              "secondaryMetrics":{
                "serverCpuNanosPerOp":{"score":18300.0,"scoreError":"NaN","scoreConfidence":[18300.0,18300.0],
                  "scoreUnit":"#","rawData":[[6000.0,6100.0,6200.0]]},
                "·gc.alloc.rate.norm":{"score":2.1,"scoreError":"NaN","scoreUnit":"B/op","rawData":[[2.0,2.2,2.1]]}}}]
            """;

    @Test
    void mergesJmhResultsAndRestoresOurMetricsPerIteration(@TempDir Path tmp) throws IOException {
        ResultsFolder folder = ResultsFolder.create(tmp.resolve("run"));
        for (String strategy : List.of("selector", "netty-nio")) {
            Path json = tmp.resolve(strategy + ".json");
            Files.writeString(json, JMH_ROW.formatted(strategy));
            folder.addJmhResults(json);
        }
        JsonNode all = ResultsFolder.JSON.readTree(tmp.resolve("run/jmh-result.json").toFile());
        assertThat(all).hasSize(2);
        JsonNode cpu = all.get(0).path("secondaryMetrics").path("serverCpuNanosPerOp");
        assertThat(cpu.path("rawData").get(0)).extracting(JsonNode::asDouble)
                .containsExactly(18000.0, 18300.0, 18600.0);
        assertThat(cpu.path("score").asDouble()).isCloseTo(18300.0, within(1e-6));
        assertThat(cpu.path("scoreError").isNumber()).isTrue();
        assertThat(cpu.path("scoreError").asDouble()).isGreaterThan(0);
        assertThat(cpu.path("scoreConfidence").get(0).asDouble()).isLessThan(18300.0);
        assertThat(cpu.path("scoreUnit").asText()).isEqualTo("ns/op");
        assertThat(cpu.path("scorePercentiles").path("50.0").asDouble()).isCloseTo(18300.0, within(1e-6));
        JsonNode gc = all.get(0).path("secondaryMetrics").path("·gc.alloc.rate.norm");
        assertThat(gc.path("score").asDouble()).as("JMH's own metrics are left alone").isEqualTo(2.1);
        assertThat(all.get(1).path("params").path("strategy").asText()).isEqualTo("netty-nio");
        assertThat(all.get(0).path("primaryMetric").path("score").asDouble()).isEqualTo(9050.7);
    }

    @Test
    void backendsWarmupAndOthersCpuGetPerIterationValuesAndErrorBarsToo(@TempDir Path tmp) throws IOException {
        ResultsFolder folder = ResultsFolder.create(tmp.resolve("run"));
        Path json = tmp.resolve("row.json");
        String metrics = String.join(",", java.util.stream.Stream.of("backendCpuPercent", "serverWarmupMillis",
                        "serverWarmupJitQuiet", "otherCpuPercentServerCpus", "otherCpuPercentLoadCpus")
                .map(name -> "\"" + name + "\":{\"score\":6.0,\"scoreError\":\"NaN\",\"scoreUnit\":\"#\","
                        + "\"rawData\":[[1.0,2.0,3.0]]}")
                .toList());
        Files.writeString(json, JMH_ROW.formatted("selector").replace("\"secondaryMetrics\":{",
                "\"secondaryMetrics\":{" + metrics + ","));
        JsonNode secondary = folder.addJmhResults(json).get(0).path("secondaryMetrics");
        for (String name : List.of("backendCpuPercent", "serverWarmupMillis", "serverWarmupJitQuiet",
                "otherCpuPercentServerCpus", "otherCpuPercentLoadCpus")) {
            JsonNode m = secondary.path(name);
            assertThat(m.path("rawData").get(0)).as(name).extracting(JsonNode::asDouble).containsExactly(3.0, 6.0, 9.0);
            assertThat(m.path("score").asDouble()).as(name).isCloseTo(6.0, within(1e-9));
            assertThat(m.path("scoreError").asDouble()).as(name).isGreaterThan(0);
        }
        assertThat(secondary.path("otherCpuPercentLoadCpus").path("scoreUnit").asText()).isEqualTo("% of a core");
    }

    @Test
    void theMemoryStepGoesToMemoryJsonAndBesideItsResult(@TempDir Path tmp) throws IOException {
        ResultsFolder folder = ResultsFolder.create(tmp.resolve("run"));
        Path json = tmp.resolve("row.json");
        Files.writeString(json, JMH_ROW.formatted("selector"));
        JsonNode row = folder.addJmhResults(json).get(0);
        folder.addMemory(new io.asyncbench.bench.MemoryStep.Result("selector", 256, 4096, 1_000L, 3_841_000L,
                500L, 19_200_500L, 2500), row);
        JsonNode memory = ResultsFolder.JSON.readTree(tmp.resolve("run/memory.json").toFile()).get(0);
        assertThat(memory.path("rssBytesPerConnection").asDouble()).isEqualTo(1000.0);
        assertThat(memory.path("liveHeapBytesPerConnection").asDouble()).isEqualTo(5000.0);
        assertThat(memory.path("bytesPerConnection").asDouble()).isEqualTo(6000.0);
        JsonNode written = ResultsFolder.JSON.readTree(tmp.resolve("run/jmh-result.json").toFile()).get(0);
        assertThat(written.path("secondaryMetrics").path("serverLiveHeapBytesPerConnection").path("score").asDouble())
                .isEqualTo(5000.0);
        assertThat(written.path("secondaryMetrics").path("serverRssBytesPerConnection").path("scoreUnit").asText())
                .isEqualTo("B/connection");
    }

    @Test
    void aMetricNotMeasuredInACaseIsLeftOutRatherThanNaN(@TempDir Path tmp) throws IOException {
        ResultsFolder folder = ResultsFolder.create(tmp.resolve("run"));
        Path json = tmp.resolve("row.json");
        Files.writeString(json, JMH_ROW.formatted("selector").replace("[[6000.0,6100.0,6200.0]]",
                "[[\"NaN\",\"NaN\",\"NaN\"]]"));
        JsonNode row = folder.addJmhResults(json).get(0);
        assertThat(row.path("secondaryMetrics").has("serverCpuNanosPerOp")).isFalse();
        assertThat(row.path("secondaryMetrics").has("·gc.alloc.rate.norm")).isTrue();
    }

    @Test
    void writesHistogramsWithAnIndex(@TempDir Path tmp) throws IOException {
        ResultsFolder folder = ResultsFolder.create(tmp);
        Histogram h = new Histogram(3);
        h.recordValue(50_000); // 50 µs
        Map<String, String> params = new LinkedHashMap<>();
        params.put("size", "1024");
        params.put("connections", "64");
        folder.addLatency("echo", "selector", params, 5000, 0.5, h, Map.of("achievedRatePerSecond", 4999.0));
        Path hgrm = tmp.resolve("latency/echo__selector__size=1024_connections=64__rate=5000.hgrm");
        assertThat(hgrm).exists();
        assertThat(Files.readString(hgrm)).contains("50.0").contains("#[Mean");
        JsonNode index = ResultsFolder.JSON.readTree(tmp.resolve("latency/index.json").toFile());
        assertThat(index.get(0).path("file").asText()).isEqualTo(hgrm.getFileName().toString());
        assertThat(index.get(0).path("workload").asText()).isEqualTo("echo");
        assertThat(index.get(0).path("params").path("strategy").asText()).isEqualTo("selector");
        assertThat(index.get(0).path("intendedRatePerSecond").asDouble()).isEqualTo(5000);
        assertThat(index.get(0).path("fractionOfPeak").asDouble()).isEqualTo(0.5);
    }

    @Test
    void metadataSaysWhereWhenHowAndWhatFailed(@TempDir Path tmp) throws IOException {
        ResultsFolder folder = ResultsFolder.create(tmp);
        RunMetadata metadata = new RunMetadata(Profile.SMOKE, Instant.parse("2026-11-25T19:00:00Z"),
                Placement.auto(true, List.of(0, 1), true), 2, Map.of("forks", 1),
                List.of(new Plan.StrategyInfo("netty-epoll", "Netty on epoll", false, "not Linux", Plan.StrategyInfo.JVM,
                        io.asyncbench.api.StrategyFacts.of(70, "#56B4E9", "impl-netty").withBackendRank(1)),
                        new Plan.StrategyInfo("mine", "a server I brought", true, null)));
        metadata.failure("io.asyncbench.bench.HttpBenchmark", Map.of("strategy", "selector"), "boom");
        metadata.finished(Instant.parse("2026-11-25T19:03:00Z"));
        folder.writeMetadata(metadata.asMap());
        JsonNode m = ResultsFolder.JSON.readTree(tmp.resolve("metadata.json").toFile());
        assertThat(m.path("tool").asText()).isEqualTo("asyncbench");
        assertThat(m.path("profile").asText()).isEqualTo("smoke");
        assertThat(m.path("startedAt").asText()).isEqualTo("2026-11-25T19:00:00Z");
        assertThat(m.path("finishedAt").asText()).isEqualTo("2026-11-25T19:03:00Z");
        assertThat(m.path("gitCommit").asText()).isNotBlank();
        for (String field : List.of("vendor", "version", "vmName", "home")) {
            assertThat(m.path("jdk").path(field).asText()).isNotBlank();
        }
        assertThat(m.path("os").path("name").asText()).isNotBlank();
        assertThat(m.path("cpu").path("cores").asInt()).isEqualTo(2);
        assertThat(m.path("memoryBytes").asLong()).isPositive();
        assertThat(m.path("placement").path("server").asText()).isEqualTo("cpus 1");
        assertThat(m.path("placement").path("loadGenerator").asText()).isEqualTo("cpus 0");
        assertThat(m.path("strategies").get(0).path("reason").asText()).isEqualTo("not Linux");
        // each strategy's own facts, so a report needs no strategy on its class path
        JsonNode facts = m.path("strategies").get(0).path("facts");
        assertThat(facts.path("order").asInt()).isEqualTo(70);
        assertThat(facts.path("colour").asText()).isEqualTo("#56B4E9");
        assertThat(facts.path("module").asText()).isEqualTo("impl-netty");
        assertThat(facts.path("line").asText()).isEqualTo("solid");
        assertThat(facts.path("role").asText()).isEqualTo("style");
        assertThat(facts.path("backendRank").asInt()).isEqualTo(1);
        JsonNode undeclared = m.path("strategies").get(1).path("facts");
        assertThat(undeclared.path("colour").isNull()).as("the report picks a spare colour").isTrue();
        assertThat(undeclared.path("order").asInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(m.path("failures").get(0).path("params").path("strategy").asText()).isEqualTo("selector");
        assertThat(m.path("failures").get(0).path("message").asText()).isEqualTo("boom");
    }

    @Test
    void neverMixesTwoRunsInOneFolder(@TempDir Path tmp) throws IOException {
        ResultsFolder.create(tmp).writeMetadata(Map.of("tool", "asyncbench"));
        assertThatThrownBy(() -> ResultsFolder.create(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("already holds");
    }

    @Test
    void defaultFolderNamesSortByTime() {
        assertThat(ResultsFolder.defaultName(Instant.parse("2026-11-25T19:00:00Z"), Profile.QUICK))
                .isEqualTo("2026-11-25T19-00-00Z-quick");
    }
}
