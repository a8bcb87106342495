package io.asyncbench.futures;

import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * The timers workload as futures: {@code asyncio.gather(*(asyncio.sleep(d) for _ in range(n)))}
 * is {@code allOf} over N {@code runAsync(wake, delayedExecutor(d))}. A sleeping task is a
 * CompletableFuture and an entry in the JDK's delay queue; no thread is held.
 *
 * <p>{@link CompletableFuture#delayedExecutor} keeps the delays on the JDK's one shared delay
 * thread, which only hands each due task over; the wake-ups (record the time, complete the
 * future, and through it the allOf tree) run on {@code threads} named ForkJoinPool workers,
 * CompletableFuture's native executor, in async (FIFO) mode as suits event-style tasks.
 */
final class FuturesTimers implements TimerFanOut {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final FuturesThreads threads = new FuturesThreads("timer");
    private final ForkJoinPool wakers;

    FuturesTimers(int threadCount) {
        wakers = new ForkJoinPool(threadCount, threads, null, true);
    }

    @Override
    public Capacity capacity() {
        return new Capacity(Integer.MAX_VALUE,
                "bounded by heap only: a sleeping task is a CompletableFuture in the JDK's delay queue");
    }

    @Override
    public TimerReport sleepAndGather(int tasks, Duration delay) throws InterruptedException {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: " + tasks);
        }
        long delayNanos = delay.toNanos();
        long[] due = new long[tasks];
        long[] woke = new long[tasks];
        // One delayed executor for all: each task's delay starts when it is handed to it.
        Executor afterDelay = CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, wakers);
        CompletableFuture<?>[] sleeps = new CompletableFuture<?>[tasks];
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            int task = i;
            due[task] = System.nanoTime() + delayNanos; // the JDK's due time is no earlier
            sleeps[task] = CompletableFuture.runAsync(() -> woke[task] = System.nanoTime(), afterDelay);
        }
        try {
            CompletableFuture.allOf(sleeps).get(); // the caller's thread, not an IO thread
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sleep failed", e.getCause());
        }
        long elapsed = System.nanoTime() - start;
        long[] lateness = new long[tasks];
        for (int i = 0; i < tasks; i++) {
            lateness[i] = woke[i] - due[i];
        }
        return new TimerReport(tasks, delayNanos, elapsed, lateness);
    }

    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        wakers.shutdownNow();
        try {
            if (!wakers.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    || !threads.joinAll(deadline)) {
                throw new IllegalStateException("timer threads still running after "
                        + CLOSE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
