package io.asyncbench.bench;

import io.asyncbench.api.TimerReport;
import io.asyncbench.harness.OtherProcesses;
import io.asyncbench.harness.Placement;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The timers workload's secondary metrics per iteration: mean gather overhead, wake-up lateness
 * percentiles over every task of the iteration's gathers, and the heap per pending task measured
 * at the start of the fork. Reported like {@link ServerMetrics} (each measurement iteration its
 * share, so JMH's sum is the mean).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class TimerMetrics {

    public double overheadMillis;
    public double latenessP50Millis;
    public double latenessP99Millis;
    public double latenessMaxMillis;
    public double heapBytesPerTask;
    /** CPU others took on the CPUs the timers ran on (the server's), in percent of one core. */
    public double otherCpuPercentServerCpus;
    /** CPU others took on the load CPUs (where the run that started this fork waits). */
    public double otherCpuPercentLoadCpus;

    private OtherProcesses others;

    private final List<TimerReport> reports = new ArrayList<>();

    void add(TimerReport report) {
        reports.add(report);
    }

    @Setup(Level.Iteration)
    public void begin() {
        reports.clear();
        // The fork runs the timers on the server's CPUs (TimersBenchmark pins it there).
        others = OtherProcesses.start(Placement.fromSystemProperties(), List.of(ProcessHandle.current().pid()), List.of());
    }

    @TearDown(Level.Iteration)
    public void end(TimersBenchmark benchmark, IterationParams iteration, BenchmarkParams params) {
        double share = ServerMetrics.shareOf(iteration, params);
        heapBytesPerTask = share * benchmark.heapBytesPerTask;
        OtherProcesses.Share othersShare = others.end();
        otherCpuPercentServerCpus = share * othersShare.serverCpusPercent();
        otherCpuPercentLoadCpus = share * othersShare.loadCpusPercent();
        if (reports.isEmpty()) {
            return;
        }
        Histogram lateness = new Histogram(3);
        double overhead = 0;
        for (TimerReport report : reports) {
            overhead += report.overheadNanos();
            for (long late : report.latenessNanos()) {
                lateness.recordValue(Math.max(0, late));
            }
        }
        overheadMillis = share * overhead / reports.size() / 1e6;
        latenessP50Millis = share * lateness.getValueAtPercentile(50) / 1e6;
        latenessP99Millis = share * lateness.getValueAtPercentile(99) / 1e6;
        latenessMaxMillis = share * lateness.getMaxValue() / 1e6;
        reports.clear();
    }
}
