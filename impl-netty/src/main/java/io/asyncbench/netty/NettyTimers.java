package io.asyncbench.netty;

import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The timers workload: {@code asyncio.gather(*(asyncio.sleep(d) for _ in range(n)))} on Netty's
 * {@link HashedWheelTimer}, what Netty users reach for when timeouts come by the hundred thousand
 * (the timing wheel of Varghese and Lauck): adding and expiring a timeout are O(1), a sleeping
 * task is one HashedWheelTimeout in a bucket's list, no thread and no stack.
 *
 * <p>Why not {@code EventLoop.schedule}, the timer of a Netty handler (the http workload's /delay,
 * IdleStateHandler)? Measured here (JDK 25, 2 cores, 1,000,000 sleeps of 1 s, 3 runs each): the
 * loops' timer heaps woke tasks p50 48-121 ms and p99 97-224 ms late, because each loop pops
 * half a million O(log n) heap entries, each completing a promise, in the second they all fall
 * due; this wheel woke them p50 1.3 ms and p99 2-5 ms late, for a similar overhead (0.7-0.95 s,
 * mostly creating the million tasks) and heap per pending task (90 B here, 100 B there). It also
 * won at 10,000 and 100,000 sleeps. Its tick is set to 1 ms: with Netty's default of 100 ms,
 * meant for I/O timeouts that need no accuracy, tasks woke p50 33-87 ms late.
 *
 * <p>The wheel runs on one worker thread, whatever the budget ({@code threads} only bounds it):
 * the expired timeouts' callbacks all run there, so the gather's countdown is a plain int. Each
 * task is added from the caller's thread, which is what the wheel's lock-free pending queue is
 * for; the worker moves them into its buckets at each tick.
 */
final class NettyTimers implements TimerFanOut {

    /** The wheel's accuracy: a task wakes within about a tick after it is due. */
    private static final long TICK_MILLIS = 1;
    /** Netty's default: one turn of the wheel is 512 ticks. */
    private static final int TICKS_PER_WHEEL = 512;

    private final HashedWheelTimer timer;

    NettyTimers(String strategyId, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        // Daemon like the loops; no leak detection (a tracked resource per timer, for nothing).
        timer = new HashedWheelTimer(StrategyThreads.platform(strategyId, "timer", true),
                TICK_MILLIS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL, false);
        timer.start();
    }

    @Override
    public Capacity capacity() {
        return new Capacity(Integer.MAX_VALUE,
                "bounded by heap only: a sleeping task is one HashedWheelTimeout in a wheel bucket");
    }

    @Override
    public TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: " + tasks);
        }
        long delayNanos = delay.toNanos();
        Sleepers sleepers = new Sleepers(tasks);
        long start = System.nanoTime();
        for (int task = 0; task < tasks; task++) {
            int index = task;
            // Due no earlier than this: newTimeout reads the clock again for its deadline.
            sleepers.due[index] = System.nanoTime() + delayNanos;
            // The callback captures only (sleepers, index): with its timeout, all a task costs.
            timer.newTimeout(timeout -> sleepers.woke(index), delayNanos, TimeUnit.NANOSECONDS);
        }
        sleepers.gathered.await();
        long elapsed = System.nanoTime() - start;
        long[] lateness = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            // The wheel expires a timeout only at a tick at or past its deadline: never negative.
            lateness[i] = sleepers.wake[i] - sleepers.due[i];
        }
        return new TimerReport(tasks, delayNanos, elapsed, lateness);
    }

    /** One gather's state, preallocated so that a wake-up allocates nothing. */
    private static final class Sleepers {

        final long[] due;
        final long[] wake;
        final CountDownLatch gathered = new CountDownLatch(1);
        /** Counted down by the wheel's one worker thread only. */
        private int sleeping;

        Sleepers(int tasks) {
            due = new long[tasks];
            wake = new long[tasks];
            sleeping = tasks;
        }

        void woke(int index) {
            wake[index] = System.nanoTime();
            // The latch publishes every wake time to the caller.
            if (--sleeping == 0) {
                gathered.countDown();
            }
        }
    }

    /** Stops the wheel: pending timeouts are dropped, and its worker thread is joined. */
    @Override
    public void close() {
        timer.stop();
    }
}
