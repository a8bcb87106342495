package io.asyncbench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time as the Linux kernel counts it, in clock ticks (USER_HZ, 100 a second on every Linux
 * the JDK runs on): per CPU from {@code /proc/stat}, per process (all its threads) from
 * {@code /proc/<pid>/stat}. Parsed from text so that the arithmetic is tested on synthetic input.
 */
public final class CpuTicks {

    /**
     * One CPU's counters: {@code busy} is the time processes ran (user, nice, system; guest time is
     * already inside user) plus steal, {@code total} is everything. Steal counts as busy: another
     * guest on the same host took the CPU from us. Interrupt time (irq, softirq) does not: it is
     * charged to no process, and on loopback most of it is the kernel carrying our own benchmark's
     * packets (16 % of the server's CPU in one quiet quick run, flagged as someone else's before).
     */
    public record Cpu(long busy, long total) {
    }

    /**
     * The per-CPU lines ({@code cpuN ...}) of a {@code /proc/stat} text; the aggregate
     * {@code cpu} line and everything else are ignored.
     *
     * @throws IllegalArgumentException for a cpuN line with fewer than the 4 fields every kernel writes
     */
    public static Map<Integer, Cpu> parseProcStat(String text) {
        Map<Integer, Cpu> cpus = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("cpu") || line.length() < 4 || !Character.isDigit(line.charAt(3))) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                throw new IllegalArgumentException("a /proc/stat cpu line with too few fields: " + line);
            }
            int cpu = Integer.parseInt(f[0].substring(3));
            long total = 0;
            long notProcesses = 0;
            // user nice system idle iowait irq softirq steal guest guest_nice
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i >= 4 && i <= 7) { // idle, iowait, irq, softirq
                    notProcesses += v;
                }
            }
            cpus.put(cpu, new Cpu(total - notProcesses, total));
        }
        return cpus;
    }

    /**
     * utime + stime of a {@code /proc/<pid>/stat} line: every thread of the process, live or
     * ended. The command name (field 2, in parentheses) may hold spaces and parentheses, so the
     * fields are counted from the last ')'.
     */
    public static long parseProcessStat(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] f = line.substring(close + 1).trim().split("\\s+");
        // after the name: state(3) ppid(4) ... utime(14) stime(15), so index 11 and 12 here
        if (f.length < 13) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line with too few fields: " + line);
        }
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** This machine's per-CPU counters now, or an empty map where /proc/stat is missing. */
    public static Map<Integer, Cpu> perCpu() {
        try {
            return parseProcStat(Files.readString(Path.of("/proc/stat")));
        } catch (IOException | RuntimeException notLinux) {
            return Map.of();
        }
    }

    /** utime + stime of process {@code pid} now, or -1 when it is gone or /proc is missing. */
    public static long ofProcess(long pid) {
        try {
            return parseProcessStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** Busy and total ticks summed over {@code cpus}; CPUs the map lacks count nothing. */
    static Cpu sum(Map<Integer, Cpu> counters, Collection<Integer> cpus) {
        long busy = 0;
        long total = 0;
        for (int cpu : cpus) {
            Cpu c = counters.get(cpu);
            if (c != null) {
                busy += c.busy();
                total += c.total();
            }
        }
        return new Cpu(busy, total);
    }

    private CpuTicks() {
    }
}
