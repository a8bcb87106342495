package io.asyncbench.harness;

import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.asyncbench.external.ExternalProcess;
import io.asyncbench.external.ExternalServer;
import io.asyncbench.external.ExternalServerStrategy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * An external server (a reference, or one a user brought) as the system under test: its command
 * line started on the server's CPUs, measured from outside since it has no control channel.
 *
 * <ul>
 *   <li>CPU time: the sum over the process's threads of {@code /proc/<pid>/task/<tid>/schedstat}
 *       (time on CPU, in nanoseconds), or {@code utime + stime} of {@code /proc/<pid>/stat} (in
 *       clock ticks) where schedstat is missing: the whole process, as a JVM's process CPU time;</li>
 *   <li>resident memory and threads: {@code VmRSS} and {@code Threads} of {@code /proc/<pid>/status};</li>
 *   <li>operations and open connections: the load generator's own counts (replies it verified,
 *       connections it holds), since the server counts nothing for us;</li>
 *   <li>allocation, errors: unknown (-1); JIT and GC: none (0).</li>
 * </ul>
 */
public final class ExternalServerSide implements ServerSide {

    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ), 100 on every Linux we know. */
    private static final long USER_HZ = 100;

    private final ExternalProcess process;
    private final LongSupplier verifiedOperations;
    private final LongSupplier openConnections;

    private ExternalServerSide(ExternalProcess process, LongSupplier verifiedOperations,
                               LongSupplier openConnections) {
        this.process = process;
        this.verifiedOperations = verifiedOperations;
        this.openConnections = openConnections;
    }

    public static ExternalServerSide start(ExternalServer server, Workload workload, List<String> commandPrefix,
                                    LongSupplier verifiedOperations, LongSupplier openConnections)
            throws IOException {
        ExternalProcess process = new ExternalServerStrategy(server).start(ServerSpec.loopback(workload),
                commandPrefix, null);
        return new ExternalServerSide(process, verifiedOperations, openConnections);
    }

    @Override
    public InetSocketAddress address() {
        return process.address();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public boolean external() {
        return true;
    }

    @Override
    public ServerStats stats(boolean afterGc) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the external server exited" + process.logTail());
        }
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        long cpu = cpuNanos(proc);
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // unknown, reported as such
        }
        long connections = openConnections.getAsLong();
        return new ServerStats(cpu, -1, rss, 0, threads, 0, 0, 0, connections, 0, 0, 0,
                verifiedOperations.getAsLong(), -1);
    }

    /**
     * Nanoseconds on CPU of every thread of the process (the first field of each
     * {@code task/<tid>/schedstat}), or {@code utime + stime} of {@code stat} in 10 ms clock ticks
     * where the kernel keeps no schedstat; -1 where /proc cannot tell. A thread that ends while
     * the tasks are read is left out of this reading (a server's threads are long-lived).
     *
     * @param proc {@code /proc/<pid>}
     */
    static long cpuNanos(Path proc) {
        if (!Files.isReadable(proc.resolve("schedstat"))) {
            return statCpuNanos(proc);
        }
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            long sum = 0;
            for (Path task : tasks.toList()) {
                String schedstat;
                try {
                    schedstat = Files.readString(task.resolve("schedstat"));
                } catch (IOException threadEnded) {
                    continue;
                }
                sum += Long.parseLong(schedstat.strip().split("\\s+")[0]);
            }
            return sum;
        } catch (IOException | RuntimeException unreadable) {
            return statCpuNanos(proc);
        }
    }

    private static long statCpuNanos(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // After the command name in parentheses (which may hold spaces): state is field 3.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * (1_000_000_000L / USER_HZ);
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "external server (pid " + process.pid() + ", " + address() + ")";
    }
}
