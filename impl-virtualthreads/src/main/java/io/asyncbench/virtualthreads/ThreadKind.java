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
 * kind of thread runs the same blocking code.
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
        Capacity capacity() {
            return PlatformThreadLimit.read();
        }
    };

    /** Names threads {@code asyncbench-<strategyId>-<role>-<n>}. */
    abstract ThreadFactory factory(String strategyId, String role);

    /**
     * How many tasks of this kind can be alive (sleeping, blocked) at once, for the timers workload.
     * Virtual threads are bounded by heap only. Platform threads are one OS thread each, so the
     * kernel's limits apply; typically tens of thousands, never 1,000,000. Reads /proc on Linux:
     * call it when the number is needed, not from a constructor.
     */
    abstract Capacity capacity();

    /** The smallest of the kernel limits on threads, minus the threads this process already has. */
    private static final class PlatformThreadLimit {

        static Capacity read() {
            List<String> limits = new ArrayList<>();
            long max = Long.MAX_VALUE;
            // Each thread takes a pid, counts against RLIMIT_NPROC and the cgroup's pids.max, and
            // maps a stack plus a guard region (two entries against vm.max_map_count).
            for (Limit limit : List.of(
                    new Limit("kernel.threads-max", proc("/proc/sys/kernel/threads-max"), 1),
                    new Limit("kernel.pid_max", proc("/proc/sys/kernel/pid_max"), 1),
                    new Limit("vm.max_map_count/2", proc("/proc/sys/vm/max_map_count"), 2),
                    new Limit("RLIMIT_NPROC", nprocLimit(), 1),
                    new Limit("cgroup pids.max", Stream.of("/sys/fs/cgroup/pids.max",
                                    "/sys/fs/cgroup/pids/pids.max")
                            .map(PlatformThreadLimit::proc).flatMap(Optional::stream).findFirst(), 1))) {
                if (limit.value().isPresent()) {
                    long threads = limit.value().get() / limit.perThread();
                    limits.add(limit.name() + "=" + threads);
                    max = Math.min(max, threads);
                }
            }
            if (limits.isEmpty()) {
                return new Capacity(Integer.MAX_VALUE, "one OS thread per task; this OS does not"
                        + " publish its thread limits in /proc, so expect thread creation to fail"
                        + " somewhere in the tens of thousands");
            }
            long alive = Thread.activeCount();
            int capacity = (int) Math.max(0, Math.min(Integer.MAX_VALUE, max - alive));
            return new Capacity(capacity, "one OS thread per task, bounded by the kernel: "
                    + String.join(", ", limits) + ", less " + alive + " threads already alive");
        }

        private record Limit(String name, Optional<Long> value, int perThread) {
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
