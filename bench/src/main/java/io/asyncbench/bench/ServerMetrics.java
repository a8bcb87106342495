package io.asyncbench.bench;

import io.asyncbench.harness.OtherProcesses;
import io.asyncbench.harness.ServerStats;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The server-side figures of each iteration, as JMH secondary metrics beside the throughput or
 * latency: measured in the server's own process (its {@code stats} answer) before and after the
 * iteration, and divided by the operations the server itself counted in between.
 *
 * <ul>
 *   <li>{@code serverCpuNanosPerOp}: server process CPU time per operation, JIT and GC included:
 *       the headline cost figure, since on a small machine the load generator may saturate its
 *       core before the server does, and throughput alone cannot rank strategies then;</li>
 *   <li>{@code serverCpuPercent}: the server's CPU use, in percent of one core;</li>
 *   <li>{@code serverAllocBytesPerOp}: heap bytes the server allocated per operation (all its
 *       threads; JMH's {@code ·gc.alloc.rate.norm} is the load generator's own);</li>
 *   <li>{@code loadGeneratorCpuPercent}: this fork's CPU use (the load generator), in percent of
 *       one core: near 100 x its cores means the client, not the server, was the limit;</li>
 *   <li>{@code serverErrors}: connections the server counted as ended abnormally. The client's
 *       own errors have no metric: a wrong, short or missing reply fails the benchmark, so a
 *       result that exists had none;</li>
 *   <li>{@code backendCpuPercent}: the gateway's or proxy's backends' CPU use (one process, one
 *       thread, on the load generator's CPUs): near 100, the backends and not the strategy set the
 *       pace, and server CPU per operation is the figure to compare;</li>
 *   <li>{@code serverWarmupMillis}: how long the new server was driven with the benchmark's
 *       traffic before the first iteration, until its JIT went quiet (or the profile's cap);
 *       {@code serverWarmupJitQuiet}: 1 when the warm-up ended because the JIT went quiet, 0 when
 *       it hit the cap (the mean over forks is the share that went quiet);</li>
 *   <li>{@code otherCpuPercentServerCpus}, {@code otherCpuPercentLoadCpus}: CPU time processes
 *       other than ours took on the server's and on the load generator's CPUs during the
 *       iteration, in percent of one core ({@link OtherProcesses}); above
 *       {@value OtherProcesses#BUSY_PERCENT}, the result was measured on a busy machine.</li>
 * </ul>
 * With {@code run --explain}, the fork's last measured iteration is also recorded
 * ({@link ExplainWindow}).
 *
 * <p>Nothing here forces a garbage collection: a window that started on an emptied heap would
 * favour the strategies that allocate. Memory per connection has its own step
 * ({@link MemoryStep}).
 *
 * <p>JMH sums {@code EVENTS} counters over threads and iterations, so only the first thread
 * reports, and each measurement iteration reports its share (value / iterations / forks): the
 * sum is then the mean over iterations. {@code asyncbench run} restores the per-iteration values
 * and error bars in jmh-result.json.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ServerMetrics {

    public double serverCpuNanosPerOp;
    public double serverCpuPercent;
    public double serverAllocBytesPerOp;
    public double serverErrors;
    public double loadGeneratorCpuPercent;
    /** The backends' CPU use (gateway, proxy), in percent of one core: near 100 x their one thread, they were the limit. */
    public double backendCpuPercent;
    /** How long the server was driven before the first iteration, until its JIT went quiet. */
    public double serverWarmupMillis;
    /** 1 when the warm-up ended with the JIT quiet, 0 when it hit the profile's cap. */
    public double serverWarmupJitQuiet;
    /** CPU others took on the server's CPUs, in percent of one core. */
    public double otherCpuPercentServerCpus;
    /** CPU others took on the load generator's CPUs, in percent of one core. */
    public double otherCpuPercentLoadCpus;

    private boolean reporter;
    private ServerStats before;
    private ServerStats backendsBefore;
    private long forkCpuBefore;
    private long wallBefore;
    private OtherProcesses others;
    /** Measured iterations begun in this fork, and the one {@code run --explain} records (the last). */
    private int measured;
    private ExplainWindow explain;

    @Setup(Level.Iteration)
    public void begin(ThreadParams thread, IterationParams iteration, BenchmarkParams benchmark) {
        reporter = thread.getThreadIndex() == 0;
        if (!reporter) {
            return;
        }
        ServerUnderTest server = ServerUnderTest.current();
        if (iteration.getType() == IterationType.MEASUREMENT && ++measured == iteration.getCount()) {
            explain = ExplainWindow.openIfAsked(server, benchmark, measured);
        }
        before = server == null ? null : server.stats();
        backendsBefore = server == null ? null : server.backendStats();
        others = server == null || !server.onThisHost() ? null
                : OtherProcesses.start(server.placement(), server.serverPids(), server.loadPids());
        forkCpuBefore = ServerStats.processCpuNanos();
        wallBefore = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void end(IterationParams iteration, BenchmarkParams benchmark) {
        if (!reporter) {
            return;
        }
        long wall = System.nanoTime() - wallBefore;
        OtherProcesses.Share othersShare = others == null ? OtherProcesses.Share.UNKNOWN : others.end();
        double share = shareOf(iteration, benchmark);
        loadGeneratorCpuPercent = share * 100.0 * (ServerStats.processCpuNanos() - forkCpuBefore) / wall;
        ServerUnderTest server = ServerUnderTest.current();
        if (server == null || before == null) {
            serverCpuNanosPerOp = Double.NaN;
            serverCpuPercent = Double.NaN;
            serverAllocBytesPerOp = Double.NaN;
            serverErrors = Double.NaN;
            serverWarmupMillis = Double.NaN;
            serverWarmupJitQuiet = Double.NaN;
            backendCpuPercent = Double.NaN;
            otherCpuPercentServerCpus = Double.NaN;
            otherCpuPercentLoadCpus = Double.NaN;
            return;
        }
        ServerStats after = server.stats();
        if (explain != null) {
            explain.countsAfter(); // right after the stats, as the first counts came right before them
        }
        long operations = Math.max(1, server.operationsBetween(before, after));
        serverCpuNanosPerOp = share * (after.cpuNanos() - before.cpuNanos()) / operations;
        serverCpuPercent = share * 100.0 * (after.cpuNanos() - before.cpuNanos()) / wall;
        serverAllocBytesPerOp = after.allocatedBytes() < 0 ? Double.NaN // an external server: unknown
                : share * (after.allocatedBytes() - before.allocatedBytes()) / operations;
        serverErrors = after.errors() < 0 ? Double.NaN : share * (after.errors() - before.errors());
        serverWarmupMillis = share * server.warmedUp().toMillis();
        serverWarmupJitQuiet = share * (server.jitQuiet() ? 1 : 0);
        otherCpuPercentServerCpus = share * othersShare.serverCpusPercent();
        otherCpuPercentLoadCpus = share * othersShare.loadCpusPercent();
        ServerStats backendsAfter = server.backendStats();
        backendCpuPercent = backendsBefore == null || backendsAfter == null ? Double.NaN
                : share * 100.0 * (backendsAfter.cpuNanos() - backendsBefore.cpuNanos()) / wall;
        if (explain != null) {
            // last: writing the recording takes a while, and every figure above is taken
            explain.close(benchmark, server.operationsBetween(before, after), wall);
            explain = null;
        }
    }

    /**
     * The fraction of its value a measurement iteration reports, so that JMH's sum over the
     * measurement iterations of every fork is their mean; warm-up iterations are not summed.
     */
    static double shareOf(IterationParams iteration, BenchmarkParams benchmark) {
        if (iteration.getType() != IterationType.MEASUREMENT) {
            return 1;
        }
        return 1.0 / (iteration.getCount() * (double) Math.max(1, benchmark.getForks()));
    }
}
