package io.asyncbench.selector;

import io.asyncbench.api.Limits;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The timers workload: {@code asyncio.gather(*(asyncio.sleep(d) for _ in range(n)))} on this
 * module's loops. A sleeping task is nothing but a {@link TimerHandle} on its loop's timer heap,
 * which is why a million of them fit: no stack, no thread, one heap entry and a small callback.
 *
 * <p>The tasks are spread evenly over the loops. Each loop schedules its share with
 * {@link SelectorEventLoop#callAt} in one callback, counts its wake-ups down with a plain int (the
 * loop is single-threaded), and when its last task has woken, counts the shared latch down: the
 * caller's gather is that latch, one count per loop rather than per task.
 */
final class SelectorTimers implements TimerFanOut {

    private final SelectorLoopGroup loops;

    SelectorTimers(String strategyId, int threads) {
        try {
            loops = new SelectorLoopGroup(strategyId, threads, Limits.DEFAULTS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the timer loops", e);
        }
    }

    @Override
    public Capacity capacity() {
        return new Capacity(Integer.MAX_VALUE,
                "bounded by heap only: a sleeping task is one TimerHandle on a loop's timer heap");
    }

    @Override
    public TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: " + tasks);
        }
        long delayNanos = delay.toNanos();
        long[] due = new long[tasks];
        long[] woke = new long[tasks];
        int loopCount = Math.min(loops.size(), tasks);
        CountDownLatch gathered = new CountDownLatch(loopCount);
        long start = System.nanoTime();
        for (int l = 0; l < loopCount; l++) {
            // Loop l takes tasks l, l + loopCount, l + 2 * loopCount, ...
            int first = l;
            SelectorEventLoop loop = loops.get(l);
            loop.callSoonThreadsafe(() -> new Sleepers(loop, first, loopCount, tasks, delayNanos,
                    due, woke, gathered).schedule());
        }
        gathered.await();
        long elapsed = System.nanoTime() - start;
        long[] lateness = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            lateness[i] = woke[i] - due[i]; // the loop runs a timer only once due: never negative
        }
        return new TimerReport(tasks, delayNanos, elapsed, lateness);
    }

    /** One loop's share of the tasks; lives on that loop, so its counter is a plain int. */
    private static final class Sleepers {

        private final SelectorEventLoop loop;
        private final int first;
        private final int stride;
        private final int tasks;
        private final long delayNanos;
        private final long[] due;
        private final long[] woke;
        private final CountDownLatch gathered;
        private int sleeping;

        Sleepers(SelectorEventLoop loop, int first, int stride, int tasks, long delayNanos,
                 long[] due, long[] woke, CountDownLatch gathered) {
            this.loop = loop;
            this.first = first;
            this.stride = stride;
            this.tasks = tasks;
            this.delayNanos = delayNanos;
            this.due = due;
            this.woke = woke;
            this.gathered = gathered;
        }

        void schedule() {
            for (int i = first; i < tasks; i += stride) {
                int task = i;
                sleeping++;
                // Each task's own call_later(d), due when it was scheduled plus d. The callback
                // captures only (this, task): with the handle, that is all a pending task costs.
                due[task] = loop.callLater(delayNanos, TimeUnit.NANOSECONDS, () -> wake(task)).when();
            }
        }

        private void wake(int task) {
            woke[task] = System.nanoTime();
            if (--sleeping == 0) {
                gathered.countDown();
            }
        }
    }

    @Override
    public void close() {
        loops.close();
    }
}
