package io.asyncbench.bench;

import java.util.List;

/**
 * The JVM flags of every process a benchmark starts, fixed here once so that no strategy runs
 * with a different heap or collector than another.
 */
public final class JvmFlags {

    /**
     * Every server process, whatever the strategy. A fixed heap (-Xms = -Xmx) so that heap sizing
     * decisions do not differ between runs; G1, the default collector, named so that a JDK with a
     * different default does not change the comparison.
     */
    public static final List<String> SERVER = List.of(
            "--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

    /**
     * Every JMH fork: the load generator, and the in-process timers workload (a million sleeping
     * virtual threads need a few hundred MB). Kept in step with {@link AsyncBenchmark}'s @Fork,
     * which needs a compile-time constant.
     */
    public static final String[] FORK = {
        "--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+UseG1GC"};

    private JvmFlags() {
    }
}
