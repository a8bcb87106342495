package io.asyncbench.bench;

import io.asyncbench.api.Strategies;
import io.asyncbench.harness.JvmFlags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;

/** The facts the annotations must repeat by hand (annotation values must be constants). */
class BenchmarkDeclarationsTest {

    static final List<Class<? extends AsyncBenchmark>> BENCHMARKS = List.of(EchoBenchmark.class,
            HttpBenchmark.class, TimersBenchmark.class, GatewayBenchmark.class, ProxyBenchmark.class);

    @Test
    void theForkFlagsAreJvmFlagsFork() {
        assertThat(AsyncBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend())
                .containsExactly(JvmFlags.FORK);
    }

    @Test
    void theStrategyParamIsDeclaredOnceWithAPlaceholderThatNamesNoStrategy() throws NoSuchFieldException {
        Field strategy = AsyncBenchmark.class.getDeclaredField("strategy");
        assertThat(strategy.getAnnotation(Param.class).value()).containsExactly(AsyncBenchmark.STRATEGY_PLACEHOLDER);
        assertThat(Strategies.ids(Strategies.discovered(getClass().getClassLoader())))
                .doesNotContain(AsyncBenchmark.STRATEGY_PLACEHOLDER);
        for (Class<? extends AsyncBenchmark> benchmark : BENCHMARKS) {
            assertThat(benchmark.getField("strategy").getDeclaringClass()).as(benchmark.getSimpleName())
                    .isEqualTo(AsyncBenchmark.class);
            assertThat(Arrays.stream(benchmark.getDeclaredFields()).filter(f -> f.isAnnotationPresent(Param.class))
                    .map(Field::getName)).as(benchmark.getSimpleName()).doesNotContain("strategy");
        }
    }

    @Test
    void aBenchmarkLeftWithThePlaceholderFailsNamingTheStrategiesThereAre() {
        assertThatThrownBy(() -> ServerUnderTest.lookup(AsyncBenchmark.STRATEGY_PLACEHOLDER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-p strategy=ID")
                .hasMessageContaining("selector");
    }

    @Test
    void eachMatrixNamesItsClassesMethodsAndParamsAndQuickPicksFromFullsMatrix() throws Exception {
        for (Class<? extends AsyncBenchmark> benchmark : BENCHMARKS) {
            BenchmarkMatrix matrix = (BenchmarkMatrix) benchmark.getField("MATRIX").get(null);
            String name = benchmark.getSimpleName();
            assertThat(matrix.benchmark()).isEqualTo(benchmark);
            assertThat(Set.copyOf(matrix.methods())).as(name).isEqualTo(Arrays.stream(benchmark.getMethods())
                    .filter(m -> m.isAnnotationPresent(Benchmark.class)).map(m -> m.getName()).collect(Collectors.toSet()));
            assertThat(Set.copyOf(matrix.axes())).as(name).isEqualTo(Arrays.stream(benchmark.getDeclaredFields())
                    .filter(f -> f.isAnnotationPresent(Param.class)).map(Field::getName).collect(Collectors.toSet()));
            assertThat(matrix.smoke()).as(name).isNotEmpty()
                    .allSatisfy(s -> assertThat(List.copyOf(s.params().keySet())).isEqualTo(matrix.axes()));
            assertThat(matrix.quick()).as(name).isNotEmpty().allSatisfy(s -> {
                assertThat(List.copyOf(s.params().keySet())).isEqualTo(matrix.axes());
                s.params().forEach((axis, value) -> assertThat(matrix.values(axis)).as(name + " quick " + axis).contains(value));
            });
        }
    }

    @Test
    void fullIsEveryCombinationFirstAxisOutermostAndTheOpenLoopFollowsTheRule() {
        List<BenchmarkMatrix.Setting> full = HttpBenchmark.MATRIX.full();
        // 2 endpoints x 3 connection counts x 2 pipelines, throughput and latency each
        assertThat(full).hasSize(24);
        assertThat(full.get(0)).isEqualTo(new BenchmarkMatrix.Setting("throughput",
                java.util.Map.of("endpoint", "plaintext", "connections", "16", "pipeline", "1"), true));
        assertThat(full.get(1).method()).isEqualTo("latency");
        assertThat(full.get(1).openLoop()).as("only the primary method's peak sets open-loop rates").isFalse();
        assertThat(full.get(2).params()).containsEntry("pipeline", "16");
        assertThat(full.get(2).openLoop()).isFalse();
        assertThat(full.get(23).params()).containsExactly(java.util.Map.entry("endpoint", "json"),
                java.util.Map.entry("connections", "1024"), java.util.Map.entry("pipeline", "16"));
        assertThat(GatewayBenchmark.MATRIX.quick()).singleElement().satisfies(s -> assertThat(s.openLoop())
                .as("ruled out in quick though the rule allows it").isFalse());
        assertThat(GatewayBenchmark.MATRIX.smoke()).allSatisfy(s -> assertThat(s.openLoop())
                .as("and in smoke, to keep CI within its time").isFalse());
        assertThat(GatewayBenchmark.MATRIX.full()).as("full measures it").anyMatch(BenchmarkMatrix.Setting::openLoop);
    }
}
