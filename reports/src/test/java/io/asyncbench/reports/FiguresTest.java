package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The secondary figures: which process each describes, how they are found, and CPU use as a share of the cores. */
class FiguresTest {

    static final String ECHO = "io.asyncbench.bench.EchoBenchmark.roundTrip";
    static final String TIMERS = "io.asyncbench.bench.TimersBenchmark.gather";

    /** {@code r} with these secondary metrics (name, score) added, each ±5 %. */
    static BenchmarkResult with(BenchmarkResult r, Object... nameScore) {
        Map<String, Metric> sec = new LinkedHashMap<>(r.secondary());
        for (int i = 0; i < nameScore.length; i += 2) {
            double v = ((Number) nameScore[i + 1]).doubleValue();
            sec.put((String) nameScore[i], new Metric(v, v * 0.05, v * 0.95, v * 1.05, "", Map.of()));
        }
        return new BenchmarkResult(r.benchmark(), r.workload(), r.method(), r.mode(), r.strategy(), r.params(),
                r.primary(), Map.copyOf(sec), r.threads(), r.forks(), r.warmupIterations(), r.measurementIterations());
    }

    static BenchmarkResult withThreads(BenchmarkResult r, int threads) {
        return new BenchmarkResult(r.benchmark(), r.workload(), r.method(), r.mode(), r.strategy(), r.params(),
                r.primary(), r.secondary(), threads, r.forks(), r.warmupIterations(), r.measurementIterations());
    }

    @Test
    void aServerWorkloadShowsTheServersAllocationNeverTheLoadGenerators() {
        BenchmarkResult echo = with(AnalysisTest.echo("selector", 64, 100, 1),
                "gc.alloc.rate.norm", 4242, "serverAllocBytesPerOp", 25);

        assertThat(Secondary.allocation("echo")).isEqualTo(Secondary.SERVER_ALLOC);
        assertThat(Secondary.SERVER_ALLOC.of(echo).score()).isEqualTo(25);
        assertThat(Secondary.ALLOC.of(echo)).as("JMH's gc figure is the load generator's here").isNull();
        assertThat(Secondary.columns("echo")).contains(Secondary.SERVER_ALLOC).doesNotContain(Secondary.ALLOC);
        for (String w : List.of("http", "gateway", "proxy")) {
            assertThat(Secondary.allocation(w)).isEqualTo(Secondary.SERVER_ALLOC);
        }
    }

    @Test
    void theTimersRunInTheForkSoJmhsAllocationIsTheStrategys() {
        BenchmarkResult timers = with(AnalysisTest.result(TIMERS, Mode.AVERAGE_TIME, "selector", Map.of("tasks", "1000"), 11, 0.1),
                "·gc.alloc.rate.norm", 90_000, "overheadMillis", 1.2, "heapBytesPerTask", 80);

        assertThat(Secondary.allocation("timers")).isEqualTo(Secondary.ALLOC);
        assertThat(Secondary.ALLOC.of(timers).score()).as("found with JMH's older '·' prefix too").isEqualTo(90_000);
        assertThat(Secondary.columns("timers")).containsExactly(Secondary.OVERHEAD, Secondary.LATENESS_P50,
                Secondary.LATENESS_P99, Secondary.HEAP_PER_TASK, Secondary.ALLOC);
        assertThat(Secondary.OVERHEAD.format(timers, new CpuBudget(null, null, null))).isEqualTo("1.20 ms");
        assertThat(Secondary.LATENESS_P50.format(timers, new CpuBudget(null, null, null))).isEqualTo("—");
    }

    @Test
    void backendCpuIsAColumnOfTheWorkloadsWithBackendsOnly() {
        assertThat(Secondary.columns("gateway")).contains(Secondary.BACKEND_CPU);
        assertThat(Secondary.columns("proxy")).contains(Secondary.BACKEND_CPU);
        assertThat(Secondary.columns("echo")).doesNotContain(Secondary.BACKEND_CPU);
        assertThat(Secondary.columns("timers")).doesNotContain(Secondary.BACKEND_CPU);

        CpuBudget cpus = new CpuBudget(4, 4, 8);
        Map<String, String> p = Map.of("connections", "64");
        BenchmarkResult gateway = with(AnalysisTest.result("io.asyncbench.bench.GatewayBenchmark.throughput",
                Mode.THROUGHPUT, "selector", p, 100, 1), "backendCpuPercent", 96.8);
        assertThat(Secondary.BACKEND_CPU.format(gateway, cpus)).as("one thread: percent of one core as it is")
                .isEqualTo("96.8 %");
        assertThat(Secondary.BACKEND_CPU.csvValue(gateway, cpus)).isCloseTo(96.8, within(1e-9));
        BenchmarkResult older = AnalysisTest.result("io.asyncbench.bench.ProxyBenchmark.relay", Mode.THROUGHPUT,
                "selector", p, 100, 1);
        assertThat(Secondary.BACKEND_CPU.format(older, cpus)).isEqualTo("—");
        assertThat(Secondary.BACKEND_CPU.of(with(AnalysisTest.echo("selector", 64, 100, 1), "backendCpuPercent", 50)))
                .as("echo has no backends").isNull();
    }

    @Test
    void namesMatchExactlySoOneRunsCpuIsNotAnothers() {
        BenchmarkResult r = with(AnalysisTest.echo("selector", 64, 100, 1), "otherCpuPercentServerCpus", 3);
        assertThat(Secondary.OTHER_CPU_SERVER.of(r).score()).isEqualTo(3);
        assertThat(Secondary.OTHER_CPU_SERVER.format(r, new CpuBudget(1, 1, 2))).isEqualTo("3.00 %");
        assertThat(Secondary.OTHER_CPU_LOAD.of(r)).isNull();
    }

    @Test
    void anAbsentOrNonFiniteFigureIsADash() {
        BenchmarkResult r = with(AnalysisTest.echo("selector", 64, 100, 1), "serverCpuNanosPerOp", Double.NaN);
        CpuBudget cpus = new CpuBudget(1, 1, 2);
        assertThat(Secondary.SERVER_CPU_PER_OP.of(r)).isNull();
        assertThat(Secondary.SERVER_CPU_PER_OP.format(r, cpus)).isEqualTo("—");
        assertThat(Secondary.LOAD_GENERATOR_CPU.format(r, cpus)).isEqualTo("—");
        assertThat(Secondary.SERVER_CPU_PER_OP.csvValue(r, cpus)).isNaN();
    }

    @Test
    void cpuTimeIsShownInMicrosecondsAndWrittenInNanoseconds() {
        BenchmarkResult r = with(AnalysisTest.echo("selector", 64, 100, 1), "serverCpuNanosPerOp", 14_341);
        CpuBudget cpus = new CpuBudget(1, 1, 2);
        assertThat(Secondary.SERVER_CPU_PER_OP.format(r, cpus)).isEqualTo("14.3");
        assertThat(Secondary.SERVER_CPU_PER_OP.csvValue(r, cpus)).isCloseTo(14_341, within(1e-6));
    }

    @Test
    void cpuUseIsAShareOfTheCoresEachSideHad() {
        // The bench writes percent of one core: 380 on a 4-CPU server is 95 % of it.
        BenchmarkResult r = withThreads(with(AnalysisTest.echo("selector", 64, 100, 1),
                "serverCpuPercent", 380, "loadGeneratorCpuPercent", 190), 2);
        CpuBudget pinned = new CpuBudget(4, 4, 8);
        assertThat(Secondary.SERVER_CPU.format(r, pinned)).isEqualTo("95.0 %");
        assertThat(pinned.loadGeneratorCores(r)).as("two client threads keep at most two cores busy").isEqualTo(2);
        assertThat(Secondary.LOAD_GENERATOR_CPU.value(r, pinned)).isCloseTo(0.95, within(1e-9));

        assertThat(new CpuBudget(4, 1, 8).loadGeneratorCores(r)).as("nor more than its CPUs").isEqualTo(1);
        assertThat(new CpuBudget(null, null, 8).serverCores()).as("unpinned: the machine").isEqualTo(8);
        assertThat(new CpuBudget(null, null, null).serverCores()).as("unknown: one core, the bench's own unit").isEqualTo(1);
        assertThat(new CpuBudget(null, null, null).loadGeneratorCores(withThreads(r, 0))).isEqualTo(1);
    }

    @Test
    void countsTheCpusOfAPlacement() {
        assertThat(CpuBudget.cpuCount("cpus 1")).isEqualTo(1);
        assertThat(CpuBudget.cpuCount("cpus 0-3")).isEqualTo(4);
        assertThat(CpuBudget.cpuCount("cpus 0-3,6, 8-9")).isEqualTo(7);
        assertThat(CpuBudget.cpuCount("unpinned")).isNull();
        assertThat(CpuBudget.cpuCount("cpus 3-1")).isNull();
        assertThat(CpuBudget.cpuCount(null)).isNull();
    }
}
