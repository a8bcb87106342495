package io.asyncbench.harness;

import java.util.List;

/**
 * The JVM flags of every process a benchmark starts, fixed here once so that no strategy runs
 * with a different heap or collector than another.
 */
public final class JvmFlags {

    /**
     * Every server process, whatever the strategy. A fixed heap (-Xms = -Xmx) so that heap sizing
     * decisions do not differ between runs; G1, the default collector, named so that a JDK with a
     * different default does not change the comparison; the heap touched at start (AlwaysPreTouch)
     * so that resident memory grows only with what connections really hold, not with how far the
     * collector has cycled through the young generation (see {@code ServerMetrics}); and
     * {@code sun.misc.Unsafe} allowed, as a production launch of Netty 4.2 on JDK 24+ does: without
     * it Netty takes its slow buffer path (measured: +24 % CPU per pipelined request). JDK 21-23 do
     * not know the flag, so it is added only from 24 on.
     */
    public static final List<String> SERVER = serverFlags();

    private static List<String> serverFlags() {
        List<String> flags = new java.util.ArrayList<>(List.of(
                "--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"));
        if (Runtime.version().feature() >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return List.copyOf(flags);
    }

    /**
     * Every JMH fork: the load generator, and the in-process timers workload (a million sleeping
     * virtual threads need a few hundred MB). Kept in step with {@link AsyncBenchmark}'s @Fork,
     * which needs a compile-time constant.
     */
    public static final String[] FORK = {
        "--enable-native-access=ALL-UNNAMED", "-Xms2g", "-Xmx2g", "-XX:+UseG1GC"};

    /**
     * {@link #FORK}, plus, on JDK 24 and later, permission for JMH's own use of sun.misc.Unsafe,
     * which would otherwise print a deprecation warning into every fork's output.
     */
    public static java.util.List<String> forkFlags() {
        java.util.List<String> flags = new java.util.ArrayList<>(java.util.List.of(FORK));
        if (Runtime.version().feature() >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }

    private JvmFlags() {
    }
}
