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
     * @param sendLags            how late each recorded request left the client against its
     *                            intended time, in nanoseconds (0 = on time)
     * @param requests            requests recorded (those intended after the warm-up)
     * @param intendedRate        the rate asked for, per second
     * @param sentRate            requests intended in the measured window that left within it, per
     *                            second of the window: below the intended rate when the schedule slipped
     * @param completedRate       replies to those that arrived by the window's end plus its grace
     *                            ({@link Sustain#grace}), per second of the window
     * @param overrunNanos        how long after the window's end the last reply arrived (negative:
     *                            before it ended)
     * @param loadGeneratorCpuPercent the generator threads' CPU time over the run's wall time, in
     *                            percent of one core (100 = one core saturated)
     */
    public record Result(Histogram histogram, Histogram sendLags, long requests, double intendedRate,
                         double sentRate, double completedRate, long overrunNanos,
                         double loadGeneratorCpuPercent, Duration measured) {

        /** The completed rate (replies per second of the window). */
        public double achievedRate() {
            return completedRate;
        }

        /** Whether the run kept up with its rate ({@link Sustain}'s rule). */
        public Sustain.Judgement sustain() {
            return Sustain.judge(intendedRate, sentRate, completedRate, overrunNanos, measured.toNanos(),
                    sendLags.getTotalCount() == 0 ? 0 : sendLags.getValueAtPercentile(50));
        }
    }

    /**
     * Called at the boundaries of the measured window's sub-windows, from a thread of its own:
     * boundary 0 when the window starts, {@code n} when it ends (e.g. to read the server's stats;
     * the run's operations so far come with it).
     */
    @FunctionalInterface
    public interface WindowProbe {
        /**
         * @param operations operations the run's own loops have verified so far (read without
         *                   stopping them: a figure a few replies old; take differences)
         */
        void at(int boundary, long operations) throws Exception;
    }

    /**
     * How far ahead of the call the schedule starts, so that every loop's thread is running before
     * the first due time (a thread starts in well under a millisecond; quick's open loop makes
     * about 200 runs, so this is paid 200 times).
     */
    static final Duration START_AHEAD = Duration.ofMillis(20);

    private OpenLoop() {
    }

    /**
     * Runs {@code traffic} at {@code ratePerSecond} over {@code connections} connections split
     * between {@code threads} client loops, for {@code warmup} then {@code duration}.
     */
    public static Result run(InetSocketAddress target, Traffic traffic, int connections, int threads,
                             double ratePerSecond, Duration warmup, Duration duration,
                             Duration replyTimeout) throws IOException, LoadException, InterruptedException {
        return run(target, traffic, connections, threads, ratePerSecond, warmup, duration, replyTimeout, 1, null);
    }

    /**
     * As {@link #run(InetSocketAddress, Traffic, int, int, double, Duration, Duration, Duration)}, and
     * calls {@code probe} (if not null) at the {@code subWindows + 1} boundaries that split the
     * measured window into {@code subWindows} equal parts.
     */
    public static Result run(InetSocketAddress target, Traffic traffic, int connections, int threads,
                             double ratePerSecond, Duration warmup, Duration duration,
                             Duration replyTimeout, int subWindows, WindowProbe probe)
            throws IOException, LoadException, InterruptedException {
        return run(target, traffic, connections, threads, ratePerSecond, warmup, duration, replyTimeout, subWindows,
                probe, 0);
    }

    /**
     * As above, with the schedule starting at {@code startNanos} ({@link System#nanoTime()}; 0 or a
     * time too near: {@link #START_AHEAD} after connecting), so that loads on several hosts can
     * measure the same window however long each took to connect.
     */
    public static Result run(InetSocketAddress target, Traffic traffic, int connections, int threads,
                             double ratePerSecond, Duration warmup, Duration duration,
                             Duration replyTimeout, int subWindows, WindowProbe probe, long startNanos)
            throws IOException, LoadException, InterruptedException {
        if (threads < 1 || threads > connections) {
            throw new IllegalArgumentException("need 1 <= threads <= connections");
        }
        if (subWindows < 1) {
            throw new IllegalArgumentException("need at least one sub-window");
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
            long start = Math.max(System.nanoTime() + START_AHEAD.toNanos(), startNanos);
            OpenLoopSchedule schedule = new OpenLoopSchedule(start, ratePerSecond, connections);
            long recordFrom = start + warmup.toNanos();
            long stopAt = recordFrom + duration.toNanos();
            long completedBy = stopAt + Sustain.grace(duration.toNanos());
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            List<Future<long[]>> results = new ArrayList<>();
            List<Histogram> histograms = new ArrayList<>();
            List<Histogram> lags = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads + (probe != null ? 1 : 0),
                    Thread.ofPlatform().name("asyncbench-load-", 1).factory())) {
                Future<?> probing = probe == null ? null
                        : pool.submit(() -> LoadTasks.probeAtBoundaries(probe, loops, recordFrom, duration.toNanos(), subWindows));
                for (int t = 0; t < threads; t++) {
                    ClientLoop loop = loops.get(t);
                    Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
                    Histogram lag = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
                    histograms.add(histogram);
                    lags.add(lag);
                    int firstConnection = firsts.get(t);
                    results.add(pool.submit(() -> {
                        loop.recordLatencies(histogram);
                        loop.recordSendLags(lag);
                        long cpuStart = cpu.getCurrentThreadCpuTime();
                        long wallStart = System.nanoTime();
                        long recorded = loop.runOpenLoop(schedule, firstConnection, recordFrom, stopAt, completedBy);
                        return new long[] {recorded, cpu.getCurrentThreadCpuTime() - cpuStart + loop.alarmCpuNanos(),
                                System.nanoTime() - wallStart, loop.sentInWindow(), loop.completedInWindow(),
                                loop.lastReplyAt()};
                    }));
                }
                long recorded = 0;
                long sent = 0;
                long completed = 0;
                long lastReply = stopAt - 1;
                double cpuPercent = 0;
                try {
                    for (Future<long[]> result : results) {
                        long[] r = LoadTasks.get(result);
                        recorded += r[0];
                        cpuPercent += r[2] > 0 ? 100.0 * r[1] / r[2] : 0;
                        sent += r[3];
                        completed += r[4];
                        if (r[5] != 0) {
                            lastReply = Math.max(lastReply, r[5]);
                        }
                    }
                    if (probing != null) {
                        LoadTasks.get(probing);
                    }
                } finally {
                    if (probing != null) {
                        probing.cancel(true);
                    }
                }
                Histogram all = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
                histograms.forEach(all::add);
                Histogram allLags = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
                lags.forEach(allLags::add);
                double seconds = duration.toNanos() / 1e9;
                return new Result(all, allLags, recorded, ratePerSecond, sent / seconds, completed / seconds,
                        lastReply - stopAt, cpuPercent, duration);
            }
        } finally {
            loops.forEach(ClientLoop::close);
        }
    }
}
