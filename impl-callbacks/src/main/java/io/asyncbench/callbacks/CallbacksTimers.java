package io.asyncbench.callbacks;

import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timers workload in the callbacks style: N callbacks scheduled on a
 * {@link ScheduledThreadPoolExecutor} of {@code threads} named threads, which is what NIO.2 code
 * reaches for (the channel group offers no timer of its own). Each callback records its wake-up
 * and counts down; the one that reaches zero runs the completion, which releases the caller.
 *
 * <p>A sleeping task is one ScheduledFutureTask in the executor's delay queue (a binary heap) and
 * the callback it wraps: no stack, no thread, which is why a million fit.
 */
final class CallbacksTimers implements TimerFanOut {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final CallbacksThreads threads = new CallbacksThreads("timer");
    private final ScheduledThreadPoolExecutor timer;

    CallbacksTimers(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threadCount);
        }
        timer = new ScheduledThreadPoolExecutor(threadCount, threads);
    }

    @Override
    public Capacity capacity() {
        return new Capacity(Integer.MAX_VALUE,
                "bounded by heap only: a sleeping task is one ScheduledFutureTask in the timer's queue");
    }

    @Override
    public TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: " + tasks);
        }
        long delayNanos = delay.toNanos();
        CountDownLatch gathered = new CountDownLatch(1);
        Sleepers sleepers = new Sleepers(tasks, gathered::countDown);
        long start = System.nanoTime();
        for (int task = 0; task < tasks; task++) {
            int index = task;
            // Due no earlier than this: the executor reads the clock again inside schedule().
            sleepers.due[index] = System.nanoTime() + delayNanos;
            timer.schedule(() -> sleepers.woke(index), delayNanos, TimeUnit.NANOSECONDS);
        }
        gathered.await();
        long elapsed = System.nanoTime() - start;
        long[] lateness = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            lateness[i] = sleepers.wake[i] - sleepers.due[i];
        }
        return new TimerReport(tasks, delayNanos, elapsed, lateness);
    }

    /** The state of one gather, shared by its callbacks: preallocated, so a wake-up allocates nothing. */
    private static final class Sleepers {

        final long[] due;
        final long[] wake;
        final AtomicInteger sleeping;
        final Runnable completion;

        Sleepers(int tasks, Runnable completion) {
            this.due = new long[tasks];
            this.wake = new long[tasks];
            this.sleeping = new AtomicInteger(tasks);
            this.completion = completion;
        }

        /** The callback of task {@code index}; the last one to wake completes the gather. */
        void woke(int index) {
            wake[index] = System.nanoTime();
            // The decrement publishes this task's wake time to the thread that sees zero.
            if (sleeping.decrementAndGet() == 0) {
                completion.run();
            }
        }
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        timer.shutdownNow();
        try {
            if (!timer.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !threads.joinAll(deadline)) {
                throw new IllegalStateException("timer threads still running after " + CLOSE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
