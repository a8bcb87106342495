package io.asyncbench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.HdrHistogram.Histogram;

/**
 * A closed-loop run outside JMH, for {@code asyncbench load}: every connection sends its next
 * request as soon as its reply is verified, for a warm-up and then a measured duration; each
 * batch's latency (from its send) goes into a histogram.
 */
public final class ClosedLoop {

    /**
     * @param operations              verified operations in the measured window
     * @param ratePerSecond           operations per second
     * @param loadGeneratorCpuPercent the client threads' CPU time over wall time (100 = one core)
     */
    public record Result(Histogram histogram, long operations, double ratePerSecond,
                         double loadGeneratorCpuPercent, Duration measured) {
    }

    private ClosedLoop() {
    }

    public static Result run(InetSocketAddress target, Traffic traffic, int connections, int threads,
                             Duration warmup, Duration duration, Duration replyTimeout)
            throws IOException, LoadException, InterruptedException {
        return run(target, traffic, connections, threads, warmup, duration, replyTimeout, 1, null);
    }

    /**
     * As {@link #run(InetSocketAddress, Traffic, int, int, Duration, Duration, Duration)}, and calls
     * {@code probe} (if not null) at the {@code subWindows + 1} boundaries that split the measured
     * window into {@code subWindows} equal parts, as {@link OpenLoop} does.
     */
    public static Result run(InetSocketAddress target, Traffic traffic, int connections, int threads,
                             Duration warmup, Duration duration, Duration replyTimeout, int subWindows,
                             OpenLoop.WindowProbe probe) throws IOException, LoadException, InterruptedException {
        return run(target, traffic, connections, threads, warmup, duration, replyTimeout, subWindows, probe, 0);
    }

    /**
     * As above, with the connections made at once but the first request sent at {@code startNanos}
     * ({@link System#nanoTime()}; 0 or a time past: as soon as they are made), so that loads on
     * several hosts can measure the same window however long each took to connect.
     */
    public static Result run(InetSocketAddress target, Traffic traffic, int connections, int threads,
                             Duration warmup, Duration duration, Duration replyTimeout, int subWindows,
                             OpenLoop.WindowProbe probe, long startNanos)
            throws IOException, LoadException, InterruptedException {
        if (threads < 1 || threads > connections) {
            throw new IllegalArgumentException("need 1 <= threads <= connections");
        }
        if (subWindows < 1) {
            throw new IllegalArgumentException("need at least one sub-window");
        }
        List<ClientLoop> loops = new ArrayList<>();
        try {
            int first = 0;
            for (int t = 0; t < threads; t++) {
                int share = connections / threads + (t < connections % threads ? 1 : 0);
                loops.add(new ClientLoop(traffic, target, share, first, replyTimeout));
                first += share;
            }
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long start = Math.max(System.nanoTime(), startNanos);
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + duration.toNanos();
            List<Future<long[]>> futures = new ArrayList<>();
            List<Histogram> histograms = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads + (probe != null ? 1 : 0),
                    Thread.ofPlatform().name("asyncbench-load-", 1).factory())) {
                Future<?> probing = probe == null ? null : pool.submit(
                        () -> LoadTasks.probeAtBoundaries(probe, loops, measureFrom, duration.toNanos(), subWindows));
                for (ClientLoop loop : loops) {
                    Histogram histogram = new Histogram(OpenLoop.HIGHEST_TRACKABLE_NANOS, 3);
                    histograms.add(histogram);
                    futures.add(pool.submit(() -> {
                        LoadTasks.parkUntil(start);
                        while (System.nanoTime() < measureFrom) {
                            loop.awaitCompletion();
                        }
                        loop.recordLatencies(histogram);
                        long ops = loop.completed();
                        long cpuStart = cpu.getCurrentThreadCpuTime();
                        long wallStart = System.nanoTime();
                        while (System.nanoTime() < end) {
                            loop.awaitCompletion();
                        }
                        loop.recordLatencies(null);
                        return new long[] {loop.completed() - ops, cpu.getCurrentThreadCpuTime() - cpuStart,
                                System.nanoTime() - wallStart};
                    }));
                }
                long operations = 0;
                double cpuPercent = 0;
                try {
                    for (Future<long[]> f : futures) {
                        long[] r = LoadTasks.get(f);
                        operations += r[0];
                        cpuPercent += r[2] > 0 ? 100.0 * r[1] / r[2] : 0;
                    }
                    if (probing != null) {
                        LoadTasks.get(probing);
                    }
                } finally {
                    if (probing != null) {
                        probing.cancel(true);
                    }
                }
                Histogram all = new Histogram(OpenLoop.HIGHEST_TRACKABLE_NANOS, 3);
                histograms.forEach(all::add);
                return new Result(all, operations, operations / (duration.toNanos() / 1e9), cpuPercent, duration);
            }
        } finally {
            loops.forEach(ClientLoop::close);
        }
    }
}
