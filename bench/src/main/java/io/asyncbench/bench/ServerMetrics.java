package io.asyncbench.bench;

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
 *   <li>{@code serverRssBytesPerConnection}: the memory the open connections keep resident:
 *       (growth of the process's resident set + growth of the live heap after a full GC) /
 *       connections, against a baseline taken after a warm-up with no connection open. The server
 *       JVM pre-touches its heap, so the resident-set term is native memory only (thread stacks,
 *       direct buffers) and the heap term counts Java objects once. Reported from
 *       {@value ServerUnderTest#MEMORY_MIN_CONNECTIONS} connections up, where the connections
 *       dominate what is left of JIT and class data; absent below;</li>
 *   <li>{@code loadGeneratorCpuPercent}: this fork's CPU use (the load generator), in percent of
 *       one core: near 100 x its cores means the client, not the server, was the limit;</li>
 *   <li>{@code serverErrors}: connections the server counted as ended abnormally;
 *       {@code errors}: wrong or missing replies the client saw (any fails the benchmark, so a
 *       reported result always has 0);</li>
 *   <li>{@code backendCpuPercent}: the gateway's or proxy's backends' CPU use (one process, one
 *       thread, on the load generator's CPUs): near 100, the backends and not the strategy set the
 *       pace, and server CPU per operation is the figure to compare;</li>
 *   <li>{@code serverWarmupMillis}: how long the new server was driven with the benchmark's
 *       traffic before the first iteration, until its JIT went quiet (or the profile's cap).</li>
 * </ul>
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
    public double serverRssBytesPerConnection;
    public double serverErrors;
    public double loadGeneratorCpuPercent;
    /** The backends' CPU use (gateway, proxy), in percent of one core: near 100 x their one thread, they were the limit. */
    public double backendCpuPercent;
    /** How long the server was driven before the first iteration, until its JIT went quiet. */
    public double serverWarmupMillis;
    public double errors;

    private boolean reporter;
    private ServerStats before;
    private ServerStats backendsBefore;
    private long forkCpuBefore;
    private long wallBefore;

    @Setup(Level.Iteration)
    public void begin(ThreadParams thread) {
        reporter = thread.getThreadIndex() == 0;
        if (!reporter) {
            return;
        }
        ServerUnderTest server = ServerUnderTest.current();
        before = server == null ? null : server.stats();
        backendsBefore = server == null ? null : server.backendStats();
        forkCpuBefore = ServerStats.processCpuNanos();
        wallBefore = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void end(IterationParams iteration, BenchmarkParams benchmark) {
        if (!reporter) {
            return;
        }
        long wall = System.nanoTime() - wallBefore;
        double share = shareOf(iteration, benchmark);
        loadGeneratorCpuPercent = share * 100.0 * (ServerStats.processCpuNanos() - forkCpuBefore) / wall;
        ServerUnderTest server = ServerUnderTest.current();
        if (server == null || before == null) {
            serverCpuNanosPerOp = Double.NaN;
            serverCpuPercent = Double.NaN;
            serverAllocBytesPerOp = Double.NaN;
            serverRssBytesPerConnection = Double.NaN;
            serverErrors = Double.NaN;
            serverWarmupMillis = Double.NaN;
            backendCpuPercent = Double.NaN;
            return;
        }
        ServerStats after = server.stats();
        long operations = Math.max(1, server.operationsBetween(before, after));
        serverCpuNanosPerOp = share * (after.cpuNanos() - before.cpuNanos()) / operations;
        serverCpuPercent = share * 100.0 * (after.cpuNanos() - before.cpuNanos()) / wall;
        serverAllocBytesPerOp = after.allocatedBytes() < 0 ? Double.NaN // an external server: unknown
                : share * (after.allocatedBytes() - before.allocatedBytes()) / operations;
        long connections = after.connectionsOpened() - after.connectionsClosed();
        serverRssBytesPerConnection = Double.NaN;
        if (connections >= ServerUnderTest.MEMORY_MIN_CONNECTIONS && server.memoryBaselineWarm()
                && after.rssBytes() >= 0) {
            // After the iteration's figures are taken: a full GC, so the heap figure is live data.
            ServerStats memory = server.statsAfterGc();
            ServerStats idle = server.idleStats();
            long nativeGrowth = memory.rssBytes() - idle.rssBytes();
            long liveHeapGrowth = memory.heapUsedBytes() - idle.heapUsedBytes();
            serverRssBytesPerConnection = share * (nativeGrowth + liveHeapGrowth) / (double) connections;
        }
        serverErrors = after.errors() < 0 ? Double.NaN : share * (after.errors() - before.errors());
        serverWarmupMillis = share * server.warmedUp().toMillis();
        ServerStats backendsAfter = server.backendStats();
        backendCpuPercent = backendsBefore == null || backendsAfter == null ? Double.NaN
                : share * 100.0 * (backendsAfter.cpuNanos() - backendsBefore.cpuNanos()) / wall;
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
