package io.asyncbench.api;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timers workload, asyncio's {@code await asyncio.gather(*(asyncio.sleep(d) for _ in range(n)))},
 * on one strategy's {@link Sleeper}: start N tasks that each sleep {@code delay}, record when each
 * one was due and when it woke, and return once all have woken.
 *
 * <p>The bookkeeping lives here, once, so that every style is measured the same way: a task is due
 * at the clock's reading just before its sleep is asked for plus {@code delay} (a style's own due
 * time is no earlier), it woke at the clock's reading when its wake-up ran, and the gather ends
 * when the last task of every lane has woken. The arrays are preallocated and the countdown is one
 * atomic per lane, so that a wake-up allocates nothing and lanes do not contend.
 *
 * <p>Obtained from {@link Strategy#timers(int)}, which fixes the thread budget; closing it closes
 * the sleeper.
 */
public final class TimerFanOut implements AutoCloseable {

    private final Sleeper sleeper;
    /** Asked once, so that the capacity reported and the one enforced agree. */
    private final Capacity capacity;

    public TimerFanOut(Sleeper sleeper) {
        this.sleeper = sleeper;
        this.capacity = sleeper.capacity();
    }

    /**
     * The largest number of concurrent sleeping tasks this style can hold on this machine, with
     * the reason when it is a hard limit (platform threads: one OS thread per task).
     */
    public Capacity capacity() {
        return capacity;
    }

    /**
     * Runs N sleeps of {@code delay} concurrently and waits for all of them.
     *
     * @throws IllegalArgumentException if {@code tasks} is below 1 or exceeds {@link #capacity()},
     *                                  or the delay is negative
     * @throws InterruptedException     if the calling thread is interrupted while waiting
     */
    public TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException {
        if (tasks < 1 || tasks > capacity.maxTasks()) {
            throw new IllegalArgumentException(tasks + " tasks: this style holds 1 to "
                    + capacity.maxTasks() + " sleeping tasks; " + capacity.reason());
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the delay must not be negative: " + delay);
        }
        long delayNanos = delay.toNanos();
        long[] due = new long[tasks];
        long[] woke = new long[tasks];
        int lanes = Math.max(1, Math.min(sleeper.lanes(), tasks));
        CountDownLatch gathered = new CountDownLatch(lanes);
        long start = System.nanoTime();
        for (int l = 0; l < lanes; l++) {
            Lane lane = new Lane(l, lanes, due, woke, gathered);
            sleeper.inLane(l, () -> lane.sleep(sleeper, delayNanos));
        }
        gathered.await();
        long elapsed = System.nanoTime() - start;
        long[] lateness = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            lateness[i] = woke[i] - due[i]; // a style wakes no earlier than its due: never negative
        }
        return new TimerReport(tasks, delayNanos, elapsed, lateness);
    }

    /** Closes the sleeper: pending sleeps are dropped, its threads end. */
    @Override
    public void close() {
        sleeper.close();
    }

    /**
     * One lane's share of a gather: tasks {@code first}, {@code first + stride}, ... Its countdown
     * publishes the wake-up times to the thread that sees zero, and the latch to the caller.
     */
    private static final class Lane {

        private final int first;
        private final int stride;
        private final long[] due;
        private final long[] woke;
        private final CountDownLatch gathered;
        private final AtomicInteger sleeping;

        Lane(int first, int stride, long[] due, long[] woke, CountDownLatch gathered) {
            this.first = first;
            this.stride = stride;
            this.due = due;
            this.woke = woke;
            this.gathered = gathered;
            this.sleeping = new AtomicInteger((due.length - first + stride - 1) / stride);
        }

        void sleep(Sleeper sleeper, long delayNanos) {
            for (int i = first; i < due.length; i += stride) {
                int task = i;
                due[task] = System.nanoTime() + delayNanos;
                // The wake-up captures only (this, task): with the style's own entry, all a task costs.
                sleeper.wakeAfter(delayNanos, () -> woke(task));
            }
        }

        private void woke(int task) {
            woke[task] = System.nanoTime();
            if (sleeping.decrementAndGet() == 0) {
                gathered.countDown();
            }
        }
    }

    /** How many sleeping tasks the style can hold, and why not more. */
    public record Capacity(int maxTasks, String reason) {
        public static Capacity unbounded() {
            return new Capacity(Integer.MAX_VALUE, "bounded by heap only");
        }

        /** Bounded by heap only, for a style whose sleeping task is {@code what} ("one heap entry"). */
        public static Capacity heapOnly(String what) {
            return new Capacity(Integer.MAX_VALUE, "bounded by heap only: a sleeping task is " + what);
        }
    }
}
