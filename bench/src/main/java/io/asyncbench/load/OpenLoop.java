package io.asyncbench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * An open-loop latency run: requests leave at a fixed rate (an {@link OpenLoopSchedule}), whatever
 * the server does, and each latency is recorded from its intended send time into an HdrHistogram.
 * The first {@code warmup} is sent but not recorded.
 */
public final class OpenLoop {

    /** Latencies up to an hour are recorded, with three significant digits. */
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.HOURS.toNanos(1);

    /**
     * @param histogram           latencies in nanoseconds, from intended send to verified reply
     * @param requests            requests recorded (those intended after the warm-up)
     * @param intendedRate        the rate asked for, per second
     * @param achievedRate        requests recorded per second of the measured window
     * @param loadGeneratorCpuPercent the generator threads' CPU time over the run's wall time, in
     *                            percent of one core (100 = one core saturated)
     */
    public record Result(Histogram histogram, long requests, double intendedRate, double achievedRate,
                         double loadGeneratorCpuPercent, Duration measured) {
    }

    private OpenLoop() {
    }

    /**
     * Runs {@code traffic} at {@code ratePerSecond} over {@code connections} connections split
     * between {@code threads} client loops, for {@code warmup} then {@code duration}.
     */
    public static Result run(InetSocketAddress target, Traffic traffic, int connections, int threads,
                             double ratePerSecond, Duration warmup, Duration duration,
                             Duration replyTimeout) throws IOException, LoadException, InterruptedException {
        if (threads < 1 || threads > connections) {
            throw new IllegalArgumentException("need 1 <= threads <= connections");
        }
        List<ClientLoop> loops = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        try {
            int first = 0;
            for (int t = 0; t < threads; t++) {
                int share = connections / threads + (t < connections % threads ? 1 : 0);
                loops.add(new ClientLoop(traffic, target, share, first, replyTimeout));
                firsts.add(first);
                first += share;
            }
            // Start a little ahead, so every loop's thread is running before the first due time.
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            OpenLoopSchedule schedule = new OpenLoopSchedule(start, ratePerSecond, connections);
            long recordFrom = start + warmup.toNanos();
            long stopAt = recordFrom + duration.toNanos();
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            List<Future<long[]>> results = new ArrayList<>();
            List<Histogram> histograms = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads,
                    Thread.ofPlatform().name("asyncbench-load-", 1).factory())) {
                for (int t = 0; t < threads; t++) {
                    ClientLoop loop = loops.get(t);
                    Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
                    histograms.add(histogram);
                    int firstConnection = firsts.get(t);
                    results.add(pool.submit(() -> {
                        loop.recordLatencies(histogram);
                        long cpuStart = cpu.getCurrentThreadCpuTime();
                        long wallStart = System.nanoTime();
                        long recorded = loop.runOpenLoop(schedule, firstConnection, recordFrom, stopAt);
                        return new long[] {recorded, cpu.getCurrentThreadCpuTime() - cpuStart,
                                System.nanoTime() - wallStart};
                    }));
                }
                long recorded = 0;
                double cpuPercent = 0;
                for (Future<long[]> result : results) {
                    long[] r = get(result);
                    recorded += r[0];
                    cpuPercent += r[2] > 0 ? 100.0 * r[1] / r[2] : 0;
                }
                Histogram all = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
                histograms.forEach(all::add);
                return new Result(all, recorded, ratePerSecond, recorded / (duration.toNanos() / 1e9),
                        cpuPercent, duration);
            }
        } finally {
            loops.forEach(ClientLoop::close);
        }
    }

    private static long[] get(Future<long[]> result) throws LoadException, InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LoadException wrong) {
                throw wrong;
            }
            throw new LoadException("the load generator failed: " + e.getCause(), e.getCause());
        }
    }
}
