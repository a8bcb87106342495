package io.asyncbench.virtualthreads;

import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * asyncio's {@code gather(*(sleep(d) for _ in range(n)))} in blocking style: N threads that each
 * call {@link Thread#sleep}, gathered by closing the executor that started them (its
 * {@code close()} returns once every thread has ended).
 *
 * <p>On virtual threads a sleeping task is a parked continuation on the heap plus a timer entry
 * in the JDK's scheduler: a million fit. On platform threads each task is an OS thread with its
 * own stack, so the kernel's thread limits apply: {@link #capacity()} states them, and a larger N
 * is refused up front instead of failing halfway with "unable to create native thread".
 *
 * <p>The thread budget of {@code Strategy.timers(threads)} does not apply: there is no timer
 * thread to size, each task is its own thread (and virtual threads run on the JDK's carriers).
 */
final class BlockingTimers implements TimerFanOut {

    private final ThreadFactory sleepers;
    /** Measured once, so that the capacity reported and the one enforced agree. */
    private final Capacity capacity;

    BlockingTimers(String strategyId, ThreadKind kind) {
        this.sleepers = kind.factory(strategyId, "timer");
        this.capacity = kind.capacity();
    }

    @Override
    public Capacity capacity() {
        return capacity;
    }

    @Override
    public TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException {
        if (tasks < 1 || tasks > capacity.maxTasks()) {
            throw new IllegalArgumentException(tasks + " tasks: this style holds 1 to "
                    + capacity.maxTasks() + " sleeping tasks; " + capacity.reason());
        }
        long delayNanos = delay.toNanos();
        // Preallocated: a task records its own lateness, nothing else is allocated per wake-up.
        long[] lateness = new long[tasks];
        long start = System.nanoTime();
        try (ExecutorService gather = Executors.newThreadPerTaskExecutor(sleepers)) {
            for (int i = 0; i < tasks; i++) {
                int task = i;
                // Due from the moment the sleep is asked for, as every other style counts it:
                // starting the thread is part of what a blocking sleep costs.
                long due = System.nanoTime() + delayNanos;
                gather.execute(() -> {
                    try {
                        Thread.sleep(delay); // sleeps at least delay: lateness is never negative
                    } catch (InterruptedException gatherInterrupted) {
                        return;
                    }
                    lateness[task] = System.nanoTime() - due;
                });
            }
        } // close() waits for every sleeper; their writes to lateness happen-before it returns
        long elapsed = System.nanoTime() - start;
        if (Thread.interrupted()) {
            // close() was interrupted: it stopped the sleepers and kept the flag for us.
            throw new InterruptedException("interrupted while gathering " + tasks + " sleeps");
        }
        return new TimerReport(tasks, delayNanos, elapsed, lateness);
    }

    /** Nothing to free: each gather's threads have ended by the time it returns. */
    @Override
    public void close() {
    }
}
