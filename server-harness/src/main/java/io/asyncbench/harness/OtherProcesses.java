package io.asyncbench.harness;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much CPU processes other than ours took on the benchmark's CPUs during a measured window: the
 * busy ticks of the server CPUs and of the load CPUs ({@link Placement}) from {@code /proc/stat},
 * minus the ticks of our own processes on them (server; load generator, the JVM that started it,
 * backends). Another build or benchmark on the same machine shows here instead of silently slowing
 * the strategy that happened to run beside it.
 *
 * <p>Each figure is in percent of one core, averaged over the window; above {@link #BUSY_PERCENT}
 * the result was measured on a busy machine. Unpinned, both sides are every CPU, and the figure is
 * reported as the server side's.
 */
public final class OtherProcesses {

    /** Above this share of one core taken by others, a result is flagged as measured on a busy machine. */
    public static final double BUSY_PERCENT = 5.0;

    /** Others' CPU use during a window, in percent of one core; NaN where not measurable. */
    public record Share(double serverCpusPercent, double loadCpusPercent) {

        public static final Share UNKNOWN = new Share(Double.NaN, Double.NaN);

        /** True when others took more than {@link #BUSY_PERCENT} of a core on either side. */
        public boolean busy() {
            return serverCpusPercent > BUSY_PERCENT || loadCpusPercent > BUSY_PERCENT;
        }
    }

    private final List<Integer> serverCpus;
    private final List<Integer> loadCpus;
    private final Set<Long> serverPids;
    private final Set<Long> loadPids;
    private final boolean pinned;
    private Map<Integer, CpuTicks.Cpu> cpusBefore;
    private Map<Long, Long> serverTicksBefore;
    private Map<Long, Long> loadTicksBefore;

    private OtherProcesses(Placement placement, Set<Long> serverPids, Set<Long> loadPids) {
        this.pinned = placement.pinned();
        List<Integer> all = Placement.allowedCpus();
        this.serverCpus = pinned ? Placement.parseCpuList(placement.serverCpus()) : all;
        this.loadCpus = pinned ? Placement.parseCpuList(placement.loadCpus()) : List.of();
        Set<Long> server = new LinkedHashSet<>(serverPids);
        if (!pinned) {
            server.addAll(loadPids);
        }
        this.serverPids = server;
        this.loadPids = pinned ? Set.copyOf(loadPids) : Set.of();
    }

    /**
     * Starts a window now. {@code serverPids} run on the server CPUs, {@code loadPids} on the load
     * CPUs; this process and its parent (the run that started it) are added to the load side.
     */
    public static OtherProcesses start(Placement placement, List<Long> serverPids, List<Long> loadPids) {
        Set<Long> load = new LinkedHashSet<>(loadPids);
        load.add(ProcessHandle.current().pid());
        ProcessHandle.current().parent().ifPresent(parent -> load.add(parent.pid()));
        Set<Long> server = new LinkedHashSet<>(serverPids);
        load.removeAll(server);
        OtherProcesses window = new OtherProcesses(placement, server, load);
        window.restart();
        return window;
    }

    /** Starts the window again from now, with the same CPUs and processes. */
    public void restart() {
        cpusBefore = CpuTicks.perCpu();
        serverTicksBefore = ticks(serverPids);
        loadTicksBefore = ticks(loadPids);
    }

    /** Others' share of the window since {@link #start} or {@link #restart}. */
    public Share end() {
        Map<Integer, CpuTicks.Cpu> cpusAfter = CpuTicks.perCpu();
        if (cpusBefore.isEmpty() || cpusAfter.isEmpty()) {
            return Share.UNKNOWN;
        }
        double server = otherPercent(CpuTicks.sum(cpusBefore, serverCpus), CpuTicks.sum(cpusAfter, serverCpus),
                serverCpus.size(), ticksSince(serverTicksBefore));
        double load = pinned ? otherPercent(CpuTicks.sum(cpusBefore, loadCpus), CpuTicks.sum(cpusAfter, loadCpus),
                loadCpus.size(), ticksSince(loadTicksBefore)) : Double.NaN;
        return new Share(server, load);
    }

    /**
     * Others' CPU use on {@code cpuCount} CPUs between two of their counter sums, in percent of one
     * core: (busy ticks - our processes' ticks) / ticks elapsed per CPU. Never below 0 (the kernel
     * samples per-CPU time at each tick, ours exactly, so a quiet window can round below).
     */
    static double otherPercent(CpuTicks.Cpu before, CpuTicks.Cpu after, int cpuCount, long ourTicks) {
        long elapsed = after.total() - before.total();
        if (cpuCount < 1 || elapsed <= 0) {
            return Double.NaN;
        }
        double perCpu = elapsed / (double) cpuCount;
        double others = (after.busy() - before.busy()) - ourTicks;
        return Math.max(0, 100.0 * others / perCpu);
    }

    /** Our processes' ticks now, by pid; a process that is gone is left out. */
    private static Map<Long, Long> ticks(Set<Long> pids) {
        Map<Long, Long> ticks = new java.util.HashMap<>();
        for (long pid : pids) {
            long t = CpuTicks.ofProcess(pid);
            if (t >= 0) {
                ticks.put(pid, t);
            }
        }
        return ticks;
    }

    /** Ticks our processes used since {@code before}; one that ended meanwhile counts nothing. */
    private static long ticksSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> p : before.entrySet()) {
            long now = CpuTicks.ofProcess(p.getKey());
            if (now >= 0) {
                sum += now - p.getValue();
            }
        }
        return sum;
    }

    /** The pids of a list of processes, those that exist on this host. */
    public static List<Long> pids(ServerSide... processes) {
        List<Long> pids = new ArrayList<>();
        for (ServerSide p : processes) {
            if (p != null && p.pid() >= 0) {
                pids.add(p.pid());
            }
        }
        return pids;
    }
}
