package io.asyncbench.bench;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import io.asyncbench.api.Workload;
import io.asyncbench.harness.Placement;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * <h2>Timers: asyncio.sleep at scale</h2>
 *
 * <p>{@code await asyncio.gather(*(asyncio.sleep(d) for _ in range(N)))}: N tasks each sleep
 * {@code delayMs}, and the caller waits for all of them, in each strategy's own style (a
 * scheduled executor's callbacks, delayed futures, N sleeping virtual threads, the selector loop's
 * timer heap, Netty's event-loop timers). It runs inside the JMH fork, moved onto the server's
 * CPUs with the server's thread budget, so that it gets the same machine as the servers do.
 *
 * <p>The primary score is the time of one gather (ms); JMH's gc profiler gives the allocation per
 * gather. Secondary metrics ({@link TimerMetrics}): {@code overheadMillis} (gather time minus the
 * delay: creating, scheduling, waking and joining N tasks; the report ranks the strategies on it,
 * since the fixed delay in the gather time hides their differences), the lateness of individual wake-ups
 * ({@code latenessP50Millis}, {@code latenessP99Millis}, {@code latenessMaxMillis}; a task may wake
 * late, never early), and {@code heapBytesPerTask}: heap held per pending task, measured once per
 * fork with a full GC while N tasks sleep (every style includes the 8-byte wake-time slot the
 * workload records per task).
 *
 * <p><b>What to expect.</b> Timer heaps and wheels hold a task in a few dozen bytes and wake
 * thousands per millisecond; a sleeping virtual thread holds its stack chunk (about a kilobyte);
 * platform threads cannot hold 1,000,000 sleepers at all (the run records their capacity and the
 * reason instead). Lateness grows with N where one thread wakes every task.
 *
 * <p><b>Run just this one:</b>
 * <pre>
 *   ./asyncbench run --workloads timers --strategies virtual-threads
 *   java -jar bench/target/benchmarks.jar TimersBenchmark -p strategy=virtual-threads -p tasks=10000
 * </pre>
 */
public class TimersBenchmark extends AsyncBenchmark {

    @Param({"10000", "1000000"})
    public int tasks;

    @Param({"100"})
    public int delayMs;

    /**
     * What each profile measures (see {@link BenchmarkMatrix}). Quick: 10,000 tasks; 1,000,000 are
     * in full (a million sleeping virtual threads alone take a minute and a half to gather four
     * times and weigh, too long for quick's 15 minutes). Smoke sleeps 20 ms.
     */
    public static final BenchmarkMatrix MATRIX = BenchmarkMatrix.of(TimersBenchmark.class, "gather")
            .axes("tasks", "delayMs")
            .quick(BenchmarkMatrix.primary("tasks", "10000", "delayMs", "100"))
            .smoke(BenchmarkMatrix.every("tasks", "10000", "delayMs", "20"));

    TimerFanOut fanOut;
    Duration delay;
    double heapBytesPerTask = Double.NaN;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        Placement placement = Placement.fromSystemProperties();
        // The fan-out is the system under test here: it gets the server's CPUs and thread budget.
        placement.pinThisProcessToServerCpus();
        Strategy s = ServerUnderTest.lookup(strategy);
        Availability availability = s.availability();
        if (!availability.available()) {
            throw new IllegalStateException("strategy " + strategy + " is unavailable here: "
                    + availability.reason());
        }
        if (!s.plays(Workload.TIMERS)) {
            throw new IllegalStateException("strategy " + strategy + " does not implement the timers workload");
        }
        delay = Duration.ofMillis(delayMs);
        fanOut = s.timers(placement.serverThreads());
        TimerFanOut.Capacity capacity = fanOut.capacity();
        if (tasks > capacity.maxTasks()) {
            fanOut.close();
            throw new IllegalStateException("strategy " + strategy + " holds at most "
                    + capacity.maxTasks() + " sleeping tasks here, not " + tasks + ": " + capacity.reason());
        }
        heapBytesPerTask = measureHeapPerTask();
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (fanOut != null) {
            fanOut.close();
        }
    }

    /** N sleeps of d, gathered. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TimerReport gather(TimerMetrics metrics) throws InterruptedException {
        TimerReport report = fanOut.sleepAndGather(tasks, delay);
        metrics.add(report);
        return report;
    }

    /**
     * Heap held per pending task: used heap after a full GC while N tasks sleep, minus used heap
     * after a full GC before, over N. A first gather tells how long creating N tasks takes, so the
     * sample is taken half-way through a sleep long enough that all are created and none woke.
     */
    private double measureHeapPerTask() throws InterruptedException {
        TimerReport first = fanOut.sleepAndGather(tasks, delay);
        long creation = Math.max(0, first.elapsedNanos() - first.delayNanos());
        Duration longSleep = Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(600), 4 * creation));
        long before = heapUsedAfterGc();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread sleeper = Thread.ofPlatform().name("asyncbench-bench-timers-memory").start(() -> {
            try {
                fanOut.sleepAndGather(tasks, longSleep);
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        Thread.sleep(longSleep.toMillis() / 2);
        long during = heapUsedAfterGc();
        sleeper.join();
        if (failed.get() != null) {
            throw new IllegalStateException("the memory measurement's gather failed: " + failed.get(), failed.get());
        }
        return Math.max(0, during - before) / (double) tasks;
    }

    private static long heapUsedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
