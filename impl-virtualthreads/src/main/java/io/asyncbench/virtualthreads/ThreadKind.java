package io.asyncbench.virtualthreads;

import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.TimerFanOut.Capacity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;

/**
 * The one thing that differs between {@code virtual-threads} and {@code platform-threads}: what
 * kind of thread runs the same blocking code, and so where the gateway's backend calls run.
 */
enum ThreadKind {

    /**
     * A virtual thread per connection. A blocking socket call parks it (its stack moves to the heap)
     * and the JDK poller unparks it when the socket is ready; carriers run whichever are runnable.
     */
    VIRTUAL {
        @Override
        ThreadFactory factory(String strategyId, String role) {
            return StrategyThreads.virtual(strategyId, role);
        }

        @Override
        BackendCalls backendCalls(String strategyId, String role) {
            return new BackendCalls.ThreadPerCall(factory(strategyId, role));
        }

        @Override
        Capacity capacity() {
            return Capacity.unbounded();
        }
    },

    /**
     * A platform (OS) thread per connection: the classic thread-per-connection server, where a
     * blocking call blocks in the kernel. Daemon threads, so a forgotten server never holds up exit.
     */
    PLATFORM {
        @Override
        ThreadFactory factory(String strategyId, String role) {
            return StrategyThreads.platform(strategyId, role, true);
        }

        @Override
        BackendCalls backendCalls(String strategyId, String role) {
            return new BackendCalls.Pooled(factory(strategyId, role));
        }

        @Override
        Capacity capacity() {
            return PlatformThreadLimit.read();
        }
    };

    /** Names threads {@code asyncbench-<strategyId>-<role>-<n>}. */
    abstract ThreadFactory factory(String strategyId, String role);

    /**
     * Where a gateway request's backend calls run, each idiomatic for its kind: virtual threads,
     * a new thread per call; platform threads, a pool shared by the server's requests (an OS thread
     * is too dear to start per call). Threads named like {@link #factory}'s.
     */
    abstract BackendCalls backendCalls(String strategyId, String role);

    /**
     * How many tasks of this kind can be alive (sleeping, blocked) at once, for the timers workload.
     * Virtual threads are bounded by heap only. Platform threads are one OS thread each, so the
     * kernel's limits apply; typically tens of thousands, never 1,000,000. Reads /proc on Linux:
     * call it when the number is needed, not from a constructor.
     */
    abstract Capacity capacity();

    /**
     * What the kernel still lets this process start: each limit on threads less what already uses
     * it, the smallest of those, less a reserve for the rest of the machine.
     */
    private static final class PlatformThreadLimit {

        /** Share of the free room left to other processes: starving them of pids is not "safe". */
        private static final int RESERVE_PERCENT = 10;

        static Capacity read() {
            List<String> limits = new ArrayList<>();
            long max = Long.MAX_VALUE;
            // Each thread takes a pid and counts against kernel.threads-max, RLIMIT_NPROC and the
            // cgroup's pids.max, all shared with the machine's other threads; and it maps a stack
            // plus a guard region (two entries against this process's vm.max_map_count).
            long machineThreads = machineThreads().orElse(0L);
            for (Limit limit : List.of(
                    new Limit("kernel.threads-max", proc("/proc/sys/kernel/threads-max"), machineThreads, 1),
                    new Limit("kernel.pid_max", proc("/proc/sys/kernel/pid_max"), machineThreads, 1),
                    new Limit("vm.max_map_count", proc("/proc/sys/vm/max_map_count"), mappings(), 2),
                    new Limit("RLIMIT_NPROC", nprocLimit(), machineThreads, 1),
                    new Limit("cgroup pids.max", proc("/sys/fs/cgroup/pids.max"),
                            proc("/sys/fs/cgroup/pids.current").orElse(machineThreads), 1))) {
                if (limit.value().isPresent()) {
                    long threads = Math.max(0, limit.value().get() - limit.inUse()) / limit.perThread();
                    limits.add(limit.name() + "=" + limit.value().get() + " (room for " + threads + ")");
                    max = Math.min(max, threads);
                }
            }
            if (limits.isEmpty()) {
                return new Capacity(Integer.MAX_VALUE, "one OS thread per task; this OS does not"
                        + " publish its thread limits in /proc, so expect thread creation to fail"
                        + " somewhere in the tens of thousands");
            }
            long capacity = max - max * RESERVE_PERCENT / 100;
            return new Capacity((int) Math.max(1, Math.min(Integer.MAX_VALUE, capacity)),
                    "one OS thread and its stack per task, bounded by the kernel: "
                            + String.join(", ", limits) + " with " + machineThreads
                            + " threads alive on the machine; " + RESERVE_PERCENT
                            + "% of the room is left to other processes");
        }

        private record Limit(String name, Optional<Long> value, long inUse, int perThread) {
        }

        /** Threads alive on the whole machine: the 4th field of /proc/loadavg, "running/total". */
        private static Optional<Long> machineThreads() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/loadavg"))) {
                return lines.findFirst().map(line -> line.split("\\s+")[3].split("/")[1]).map(Long::parseLong);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /** Memory mappings this process already has, each against vm.max_map_count. */
        private static long mappings() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
                return lines.count();
            } catch (IOException | UncheckedIOException | SecurityException e) {
                return 0;
            }
        }

        private static Optional<Long> proc(String file) {
            // Read by lines: /proc reports a size of 0, which trips Files.readString.
            try (Stream<String> lines = Files.lines(Path.of(file))) {
                return lines.findFirst().map(String::trim).filter(text -> !text.equals("max"))
                        .map(Long::parseLong);
            } catch (IOException | UncheckedIOException | NumberFormatException | SecurityException e) {
                return Optional.empty();
            }
        }

        /** The soft "Max processes" limit (which counts threads) from /proc/self/limits. */
        private static Optional<Long> nprocLimit() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/limits"))) {
                return lines.filter(line -> line.startsWith("Max processes"))
                        .map(line -> line.substring("Max processes".length()).trim().split("\\s+")[0])
                        .filter(soft -> !soft.equals("unlimited"))
                        .map(Long::parseLong)
                        .findFirst();
            } catch (IOException | UncheckedIOException | NumberFormatException | SecurityException e) {
                return Optional.empty();
            }
        }
    }
}
