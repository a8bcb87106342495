package io.asyncbench.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one base of every asyncbench benchmark (Netty's microbench has the same: one place for
 * forks, warm-up, measurement and JVM flags). These are the defaults of plain
 * {@code java -jar benchmarks.jar}; {@code asyncbench run} sets them per profile (smoke, quick,
 * full) through JMH's options, which take precedence.
 *
 * <p>Each subclass is a {@code @State(Scope.Benchmark)} holding its parameters, of which
 * {@code strategy} is always one: its values are the strategy ids, so every result row says which
 * strategy it measured.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+UseG1GC"}) // = JvmFlags.FORK
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
public abstract class AsyncBenchmark {

    /** The strategy ids, in presentation order: the default of every {@code strategy} parameter. */
    public static final String[] STRATEGIES = {
        "callbacks", "futures", "virtual-threads", "platform-threads", "selector", "netty-nio",
        "netty-epoll"};
}
