package io.asyncbench.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one base of every asyncbench benchmark (Netty's microbench has the same: one place for
 * forks, warm-up, measurement and JVM flags). These are the defaults of plain
 * {@code java -jar benchmarks.jar}; {@code asyncbench run} sets them per profile (smoke, quick,
 * full) through JMH's options, which take precedence.
 *
 * <p>Each subclass is a {@code @State(Scope.Benchmark)} holding its workload's parameters; the
 * {@code strategy} parameter is declared once, here, so every result row says which strategy it
 * measured. Its one value is a placeholder: the strategies are whatever is on the class path, which
 * an annotation cannot list, so {@code asyncbench run} fills it in per case (JMH's
 * {@code OptionsBuilder.param}), and plain JMH needs {@code -p strategy=ID}; a benchmark started with
 * the placeholder fails at once, naming the strategies there are.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+UseG1GC"}) // = JvmFlags.FORK
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public abstract class AsyncBenchmark {

    /** The {@code strategy} parameter's value until a run sets it: not a strategy id. */
    public static final String STRATEGY_PLACEHOLDER = "unset";

    /** The strategy's id ({@code Strategy.id()}): set by {@code asyncbench run}, or {@code -p strategy=ID}. */
    @Param(STRATEGY_PLACEHOLDER)
    public String strategy;
}
