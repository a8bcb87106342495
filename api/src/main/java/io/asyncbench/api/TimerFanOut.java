package io.asyncbench.api;

import java.time.Duration;

/**
 * The timers workload, asyncio's {@code await asyncio.gather(*(asyncio.sleep(d) for _ in range(n)))}
 * written in one strategy's style: start N tasks that each sleep {@code delay}, record when each
 * one woke up, and return once all have.
 *
 * <p>Obtained from {@link Strategy#timers(int)}, which fixes the thread budget; closing it frees the
 * threads (and timer wheels, heaps, loops) it holds.
 */
public interface TimerFanOut extends AutoCloseable {

    /**
     * The largest number of concurrent sleeping tasks this style can hold on this machine, with
     * the reason when it is a hard limit (platform threads: one OS thread per task).
     */
    Capacity capacity();

    /**
     * Runs N sleeps of {@code delay} concurrently and waits for all of them.
     *
     * @throws IllegalArgumentException if {@code tasks} exceeds {@link #capacity()}
     * @throws InterruptedException     if the calling thread is interrupted while waiting
     */
    TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException;

    @Override
    void close();

    /** How many sleeping tasks the style can hold, and why not more. */
    record Capacity(int maxTasks, String reason) {
        public static Capacity unbounded() {
            return new Capacity(Integer.MAX_VALUE, "bounded by heap only");
        }
    }
}
