package io.asyncbench.reports;

import java.util.Arrays;
import java.util.List;

/**
 * The secondary metrics the bench writes beside each score (bench's ServerMetrics, TimerMetrics and
 * JMH's gc profiler), by their name in jmh-result.json, with the workloads each one describes.
 *
 * <p>For a server workload the JMH fork is the load generator (the server runs in its own JVM), so
 * JMH's {@code gc.alloc.rate.norm} is the client's allocation, not the strategy's: {@link #of}
 * returns it only for workloads that run inside the fork (timers), and the server's own
 * {@code serverAllocBytesPerOp} for the others. A metric that is absent or not a number (older
 * results, an external --target server) is null, and every output shows "—" for it.
 */
enum Secondary {
    SERVER_CPU_PER_OP("serverCpuNanosPerOp", Applies.SERVER, Shown.ALWAYS, Kind.NANOS,
            "server CPU/op", "µs", "server_cpu_ns_per_op",
            "CPU time of the server process (JIT and GC included) per operation, in µs: what the strategy costs"),
    SERVER_CPU("serverCpuPercent", Applies.SERVER, Shown.IF_PRESENT, Kind.SERVER_SHARE,
            "server CPU", null, "server_cpu_percent",
            "the server process's CPU use, in percent of the CPUs it had"),
    LOAD_GENERATOR_CPU("loadGeneratorCpuPercent", Applies.SERVER, Shown.ALWAYS, Kind.LOAD_GENERATOR_SHARE,
            "load gen CPU", null, "load_generator_cpu_percent",
            "the load generator's CPU use, in percent of the cores its client threads could use; near 100 % the"
                    + " score may be the load generator's limit, not the server's"),
    BACKEND_CPU("backendCpuPercent", Applies.BACKENDS, Shown.ALWAYS, Kind.BACKEND_SHARE,
            "backend CPU", null, "backend_cpu_percent",
            "the backends' CPU use, in percent of their one core (one process, one thread, on the load generator's"
                    + " CPUs); near 100 % the backends set the pace, and server CPU per operation compares the strategies"),
    SERVER_ALLOC("serverAllocBytesPerOp", Applies.SERVER, Shown.IF_PRESENT, Kind.BYTES,
            "server alloc/op", null, "server_alloc_bytes_per_op",
            "heap bytes the server process allocated per operation (all its threads)"),
    SERVER_MEMORY("serverRssBytesPerConnection", Applies.SERVER, Shown.IF_PRESENT, Kind.BYTES,
            "RSS/conn", null, "server_rss_bytes_per_connection",
            "resident-set growth per idle keep-alive connection, the slope between two connection counts (the"
                    + " memory step): native memory such as thread stacks and direct buffers (the heap is pre-touched)"),
    SERVER_LIVE_HEAP("serverLiveHeapBytesPerConnection", Applies.SERVER, Shown.IF_PRESENT, Kind.BYTES,
            "live heap/conn", null, "server_live_heap_bytes_per_connection",
            "live-heap growth (after a full GC) per idle keep-alive connection, the slope between two connection"
                    + " counts (the memory step): the Java objects a connection keeps"),
    SERVER_WARMUP("serverWarmupMillis", Applies.SERVER, Shown.NEVER, Kind.MILLIS, null, null, "server_warmup_ms", null),
    SERVER_WARMUP_JIT_QUIET("serverWarmupJitQuiet", Applies.SERVER, Shown.NEVER, Kind.COUNT, null, null,
            "server_warmup_jit_quiet", null),
    SERVER_ERRORS("serverErrors", Applies.SERVER, Shown.NEVER, Kind.COUNT, null, null, "server_errors", null),
    OTHER_CPU_SERVER("otherCpuPercentServerCpus", Applies.SERVER, Shown.NEVER, Kind.ONE_CORE_SHARE, null, null,
            "other_cpu_percent_server_cpus", null),
    OTHER_CPU_LOAD("otherCpuPercentLoadCpus", Applies.SERVER, Shown.NEVER, Kind.ONE_CORE_SHARE, null, null,
            "other_cpu_percent_load_cpus", null),
    // Also the timers' score (Analysis.rankedOnOverhead); the column names it.
    OVERHEAD("overheadMillis", Applies.IN_FORK, Shown.IF_PRESENT, Kind.MILLIS,
            "overhead", null, "overhead_ms", "mean time a gather took beyond its delay"),
    LATENESS_P50("latenessP50Millis", Applies.IN_FORK, Shown.IF_PRESENT, Kind.MILLIS,
            "lateness p50", null, "lateness_p50_ms", "median time a task woke up after its deadline"),
    LATENESS_P99("latenessP99Millis", Applies.IN_FORK, Shown.IF_PRESENT, Kind.MILLIS,
            "lateness p99", null, "lateness_p99_ms", "99th percentile of the time a task woke up after its deadline"),
    LATENESS_MAX("latenessMaxMillis", Applies.IN_FORK, Shown.NEVER, Kind.MILLIS, null, null, "lateness_max_ms", null),
    HEAP_PER_TASK("heapBytesPerTask", Applies.IN_FORK, Shown.IF_PRESENT, Kind.BYTES,
            "bytes/task", null, "heap_bytes_per_task", "heap held per pending (sleeping) task"),
    ALLOC("gc.alloc.rate.norm", Applies.IN_FORK, Shown.IF_PRESENT, Kind.BYTES,
            "alloc/op", null, "alloc_bytes_per_op",
            "bytes allocated per operation (JMH's gc profiler; the workload runs inside the JMH fork)");

    /**
     * Which workloads a metric describes: those served by a server process, those run inside the JMH
     * fork, or the server workloads that call backends (gateway, proxy).
     */
    enum Applies { SERVER, IN_FORK, BACKENDS }

    /** Whether a table shows the column: always (a headline, "—" when missing), when any row has it, or never (CSV only). */
    enum Shown { ALWAYS, IF_PRESENT, NEVER }

    /** How a value reads: the unit the bench writes it in, and how the report prints it. */
    enum Kind { NANOS, SERVER_SHARE, LOAD_GENERATOR_SHARE, BACKEND_SHARE, ONE_CORE_SHARE, BYTES, MILLIS, COUNT }

    final String jmhName;
    final Applies applies;
    final Shown shown;
    final Kind kind;
    /** The column heading in the tables; null when only the CSV carries it. */
    final String label;
    /** A unit printed under the heading, when the cells are bare numbers. */
    final String headingUnit;
    final String csvColumn;
    /** What the column means, for a heading's tooltip. */
    final String description;

    Secondary(String jmhName, Applies applies, Shown shown, Kind kind, String label, String headingUnit,
              String csvColumn, String description) {
        this.jmhName = jmhName;
        this.applies = applies;
        this.shown = shown;
        this.kind = kind;
        this.label = label;
        this.headingUnit = headingUnit;
        this.csvColumn = csvColumn;
        this.description = description;
    }

    /** This metric of {@code r}, or null when it is absent, not finite, or does not describe {@code r}'s workload. */
    Metric of(BenchmarkResult r) {
        if (!describes(r.workload())) {
            return null;
        }
        Metric m = r.secondaryNamed(jmhName);
        return m == null || !Double.isFinite(m.score()) ? null : m;
    }

    /**
     * The value in the unit the report uses: µs for CPU time, a fraction of the cores for CPU use,
     * bytes, milliseconds; NaN when {@link #of} is null.
     */
    double value(BenchmarkResult r, CpuBudget cpus) {
        Metric m = of(r);
        return m == null ? Double.NaN : scale(r, cpus) * m.score();
    }

    /** The factor from the bench's unit to the report's (see {@link #value}); also applies to the error. */
    double scale(BenchmarkResult r, CpuBudget cpus) {
        return switch (kind) {
            case NANOS -> 1e-3;
            case SERVER_SHARE -> 0.01 / cpus.serverCores();
            case LOAD_GENERATOR_SHARE -> 0.01 / cpus.loadGeneratorCores(r);
            // The backends run one thread: percent of one core is already a share of what they had.
            case BACKEND_SHARE, ONE_CORE_SHARE -> 0.01;
            case BYTES, MILLIS, COUNT -> 1;
        };
    }

    /** The value as a table cell shows it: "14.3", "96.8 %", "25 B", "230 µs"; "—" when absent. */
    String format(BenchmarkResult r, CpuBudget cpus) {
        double v = value(r, cpus);
        if (!Double.isFinite(v)) {
            return "—";
        }
        return switch (kind) {
            case NANOS -> Fmt.num(v);
            // One decimal below 100 %, so that 89.6 % and 90.1 % do not both read "90 %" beside a 90 % threshold.
            case SERVER_SHARE, LOAD_GENERATOR_SHARE, BACKEND_SHARE, ONE_CORE_SHARE -> Fmt.num(v * 100) + " %";
            case BYTES -> Fmt.bytes(v);
            case MILLIS -> Fmt.micros(v * 1000);
            case COUNT -> Fmt.num(v);
        };
    }

    /** The CSV value: the report's unit, but µs back to the bench's ns and shares as percent of the cores. */
    double csvValue(BenchmarkResult r, CpuBudget cpus) {
        double v = value(r, cpus);
        return switch (kind) {
            case NANOS -> v * 1e3;
            case SERVER_SHARE, LOAD_GENERATOR_SHARE, BACKEND_SHARE, ONE_CORE_SHARE -> v * 100;
            default -> v;
        };
    }

    /** CPU time or CPU use: the tables put these right beside the score. */
    boolean isCpu() {
        return kind == Kind.NANOS || kind == Kind.SERVER_SHARE || kind == Kind.LOAD_GENERATOR_SHARE
                || kind == Kind.BACKEND_SHARE;
    }

    /** The table columns of a workload, in order; {@link Shown#IF_PRESENT} ones still need a row that has them. */
    static List<Secondary> columns(String workload) {
        return Arrays.stream(values()).filter(s -> s.describes(workload) && s.shown != Shown.NEVER).toList();
    }

    /** Whether this metric describes a result of {@code workload} ({@link Applies}). */
    boolean describes(String workload) {
        return applies == Applies.BACKENDS ? KnownWorkload.hasBackends(workload) : applies == appliesTo(workload);
    }

    /** The strategy's own allocation per operation in this workload: the server's, or JMH's for in-fork workloads. */
    static Secondary allocation(String workload) {
        return appliesTo(workload) == Applies.IN_FORK ? ALLOC : SERVER_ALLOC;
    }

    static Applies appliesTo(String workload) {
        return KnownWorkload.byId(workload).filter(w -> w.runsInFork).isPresent() ? Applies.IN_FORK : Applies.SERVER;
    }
}
