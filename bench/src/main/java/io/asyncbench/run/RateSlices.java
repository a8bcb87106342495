package io.asyncbench.run;

import io.asyncbench.harness.OtherProcesses;
import io.asyncbench.load.OpenLoop;
import io.asyncbench.load.Sustain;

import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * What one strategy's slices at one open-loop rate measured, over the rounds in which the
 * strategies of a setting took turns ({@link OpenLoopPhase}), added up into one result: the latency
 * and send-lag histograms merged, the rates over the slices' total time, server CPU per request over
 * all their sub-windows.
 *
 * <p>The rate is sustained when the slices together sent and completed enough requests on time, and
 * no slice overran its own window's grace ({@link Sustain}): a backlog in one slice is not
 * forgiven by the others.
 */
final class RateSlices {

    private final double intendedRate;
    private final List<OpenLoop.Result> results = new ArrayList<>();
    private final List<List<CpuAtRate.Sample>> cpuSamples = new ArrayList<>();
    private final List<Long> startedAtMillis = new ArrayList<>();
    private long jitMillis;
    private long backendCpuNanos;
    private long wallNanos;
    private double otherServerWeighted;
    private double otherLoadWeighted;
    private long otherWallNanos;
    private boolean othersUnknown;
    private boolean othersLoadUnknown;

    RateSlices(double intendedRate) {
        this.intendedRate = intendedRate;
    }

    /**
     * Adds one slice.
     *
     * @param startedAtMillis when the slice's measured part began, ms since the epoch
     * @param samples         the server's readings at the slice's sub-window boundaries (empty: no stats)
     * @param jitMillis       JIT compile time in the slice, negative when unknown
     * @param backendCpuNanos the backends' CPU time in the slice, negative when there are none
     * @param wallNanos       the slice's measured wall time between its first and last reading
     * @param others          other processes' share of the CPUs in the slice
     */
    void add(long startedAtMillis, OpenLoop.Result result, List<CpuAtRate.Sample> samples, long jitMillis, long backendCpuNanos,
             long wallNanos, OtherProcesses.Share others) {
        if (result.intendedRate() != intendedRate) {
            throw new IllegalArgumentException("a slice at " + result.intendedRate() + "/s among slices at "
                    + intendedRate + "/s");
        }
        boolean first = results.isEmpty();
        results.add(result);
        this.startedAtMillis.add(startedAtMillis);
        cpuSamples.add(List.copyOf(samples));
        this.jitMillis = jitMillis < 0 || (!first && this.jitMillis < 0) ? -1 : this.jitMillis + jitMillis;
        this.backendCpuNanos = backendCpuNanos < 0 || (!first && this.backendCpuNanos < 0)
                ? -1 : this.backendCpuNanos + backendCpuNanos;
        this.wallNanos += wallNanos;
        if (Double.isNaN(others.serverCpusPercent())) {
            othersUnknown = true;
        } else {
            long w = result.measured().toNanos();
            otherServerWeighted += others.serverCpusPercent() * w;
            othersLoadUnknown |= Double.isNaN(others.loadCpusPercent());
            otherLoadWeighted += othersLoadUnknown ? 0 : others.loadCpusPercent() * w;
            otherWallNanos += w;
        }
    }

    int count() {
        return results.size();
    }

    /** When each slice's measured part began, ms since the epoch, in the order they ran. */
    List<Long> startedAtMillis() {
        return List.copyOf(startedAtMillis);
    }

    Histogram histogram() {
        Histogram all = results.get(0).histogram().copy();
        results.stream().skip(1).forEach(r -> all.add(r.histogram()));
        return all;
    }

    Histogram sendLags() {
        Histogram all = results.get(0).sendLags().copy();
        results.stream().skip(1).forEach(r -> all.add(r.sendLags()));
        return all;
    }

    long requests() {
        return results.stream().mapToLong(OpenLoop.Result::requests).sum();
    }

    private double seconds() {
        return results.stream().mapToDouble(r -> r.measured().toNanos() / 1e9).sum();
    }

    /** Requests that left on schedule, per second of the slices' total time. */
    double sentRate() {
        return results.stream().mapToDouble(r -> r.sentRate() * r.measured().toNanos() / 1e9).sum() / seconds();
    }

    /** Replies that came back in time, per second of the slices' total time. */
    double completedRate() {
        return results.stream().mapToDouble(r -> r.completedRate() * r.measured().toNanos() / 1e9).sum() / seconds();
    }

    /** The latest a slice's last reply came after its window ended. */
    long overrunNanos() {
        return results.stream().mapToLong(OpenLoop.Result::overrunNanos).max().orElseThrow();
    }

    /** Whether any slice's last reply came later than its window's grace. */
    boolean overran() {
        return results.stream().anyMatch(r -> r.overrunNanos() > Sustain.grace(r.measured().toNanos()));
    }

    /** The generator's CPU use over the slices, in percent of one core, weighted by their time. */
    double loadGeneratorCpuPercent() {
        return results.stream().mapToDouble(r -> r.loadGeneratorCpuPercent() * r.measured().toNanos() / 1e9)
                .sum() / seconds();
    }

    /**
     * Judged over the slices: the rates over their total time, the median send lag of them all, and
     * the overrun of the slice that overran its grace the most, against its own window.
     */
    Sustain.Judgement sustain() {
        OpenLoop.Result worst = results.stream()
                .max((a, b) -> Long.compare(a.overrunNanos() - Sustain.grace(a.measured().toNanos()),
                        b.overrunNanos() - Sustain.grace(b.measured().toNanos())))
                .orElseThrow();
        Histogram lags = sendLags();
        return Sustain.judge(intendedRate, sentRate(), completedRate(), worst.overrunNanos(),
                worst.measured().toNanos(), lags.getTotalCount() == 0 ? 0 : lags.getValueAtPercentile(50));
    }

    /** Server CPU per request over every slice's sub-windows; null without stats. */
    CpuAtRate cpu(long readCostNanos) {
        if (cpuSamples.stream().anyMatch(List::isEmpty)) {
            return null;
        }
        return CpuAtRate.ofSlices(cpuSamples, readCostNanos);
    }

    /** JIT compile time in the slices, ms; negative when unknown. */
    long jitMillis() {
        return jitMillis;
    }

    /** The backends' CPU over the slices' wall time, percent of one core; negative when there are none. */
    double backendCpuPercent() {
        return backendCpuNanos < 0 || wallNanos <= 0 ? -1 : 100.0 * backendCpuNanos / wallNanos;
    }

    /** Other processes' share over the slices, weighted by their time; unknown if any slice's was. */
    OtherProcesses.Share others() {
        if (othersUnknown || otherWallNanos == 0) {
            return OtherProcesses.Share.UNKNOWN;
        }
        return new OtherProcesses.Share(otherServerWeighted / otherWallNanos,
                othersLoadUnknown ? Double.NaN : otherLoadWeighted / otherWallNanos);
    }
}
