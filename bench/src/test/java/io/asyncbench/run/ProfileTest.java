package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Workload;
import io.asyncbench.bench.AsyncBenchmark;
import io.asyncbench.bench.EchoBenchmark;
import io.asyncbench.bench.GatewayBenchmark;
import io.asyncbench.bench.HttpBenchmark;
import io.asyncbench.bench.ProxyBenchmark;
import io.asyncbench.bench.TimersBenchmark;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

class ProfileTest {

    static final List<Class<? extends AsyncBenchmark>> BENCHMARKS = List.of(EchoBenchmark.class,
            HttpBenchmark.class, TimersBenchmark.class, GatewayBenchmark.class, ProxyBenchmark.class);

    private static List<BenchmarkCase> all(Profile profile) {
        List<BenchmarkCase> cases = new ArrayList<>();
        for (Workload w : Workload.values()) {
            cases.addAll(profile.cases(w, "selector"));
        }
        return cases;
    }

    @Test
    void smokeRunsEveryBenchmarkMethodOfEveryClass() {
        Set<String> planned = all(Profile.SMOKE).stream().map(BenchmarkCase::benchmark).collect(Collectors.toSet());
        Set<String> declared = new HashSet<>();
        for (Class<?> c : BENCHMARKS) {
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    declared.add(c.getName() + "." + m.getName());
                }
            }
        }
        assertThat(planned).isEqualTo(declared);
        assertThat(all(Profile.SMOKE)).filteredOn(BenchmarkCase::openLoop).extracting(c -> c.workload().id())
                .as("smoke's open loop, as quick's: echo and http").containsOnly("echo", "http");
    }

    @Test
    void quickMeasuresTheHeadlineParameters() {
        List<String> labels = all(Profile.QUICK).stream().map(BenchmarkCase::label).toList();
        assertThat(labels).contains(
                "echo.throughput selector size=1024 connections=64",
                "http.throughput selector endpoint=plaintext connections=256 pipeline=1",
                "http.throughput selector endpoint=plaintext connections=256 pipeline=16",
                "timers.gather selector tasks=10000 delayMs=100",
                "gateway.throughput selector backends=4 delayMs=1 connections=64",
                "proxy.throughput selector streams=1");
        assertThat(all(Profile.QUICK)).filteredOn(BenchmarkCase::openLoop).extracting(c -> c.workload().id())
                .containsExactly("echo", "http");
        assertThat(Profile.QUICK.jmh().measurementIterations()).as("error bars need several iterations")
                .isGreaterThanOrEqualTo(5);
        assertThat(Profile.FULL.jmh().servers()).as("one server JVM's luck is not a strategy's")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void quickWarmsEachServerAsLongAsFullSoThatNoFigureIsTheJitsWork() {
        // reactor's http server compiled for 12 s under load before its cost settled
        assertThat(Profile.QUICK.serverWarmupMax()).isEqualTo(Profile.FULL.serverWarmupMax())
                .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(Profile.SMOKE.serverWarmupMax()).isLessThan(Profile.QUICK.serverWarmupMax());
        assertThat(Profile.SMOKE.serverWarmupMax()).isGreaterThanOrEqualTo(io.asyncbench.bench.ServerUnderTest.WARMUP_MIN);
    }

    @Test
    void fullCoversEveryParameterCombinationOfEveryMethod() throws Exception {
        Set<String> planned = all(Profile.FULL).stream().map(c -> c.benchmark() + " " + new java.util.TreeMap<>(c.params()))
                .collect(Collectors.toSet());
        for (Class<?> c : BENCHMARKS) {
            List<Map<String, String>> combinations = new ArrayList<>();
            combinations.add(new LinkedHashMap<>());
            for (Field f : c.getFields()) {
                Param param = f.getAnnotation(Param.class);
                if (param == null || f.getName().equals("strategy")) {
                    continue;
                }
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> partial : combinations) {
                    for (String v : param.value()) {
                        Map<String, String> m = new LinkedHashMap<>(partial);
                        m.put(f.getName(), v);
                        next.add(m);
                    }
                }
                combinations = next;
            }
            for (Method m : c.getMethods()) {
                if (!m.isAnnotationPresent(Benchmark.class)) {
                    continue;
                }
                for (Map<String, String> params : combinations) {
                    assertThat(planned).contains(c.getName() + "." + m.getName() + " " + new java.util.TreeMap<>(params));
                }
            }
        }
    }

    @Test
    void profilesAreNamedByTheirIds() {
        assertThat(Arrays.stream(Profile.values()).map(Profile::id)).containsExactly("smoke", "quick", "full");
        assertThat(Profile.byId("QUICK")).isEqualTo(Profile.QUICK);
    }
}
