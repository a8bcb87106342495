package io.asyncbench.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.List;

import org.junit.jupiter.api.Test;
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
    void everyBenchmarkHasAStrategyParamListingEveryStrategy() throws NoSuchFieldException {
        for (Class<? extends AsyncBenchmark> benchmark : BENCHMARKS) {
            Field strategy = benchmark.getField("strategy");
            assertThat(strategy.getAnnotation(Param.class).value()).as(benchmark.getSimpleName())
                    .containsExactly(AsyncBenchmark.STRATEGIES);
        }
    }
}
