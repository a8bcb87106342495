package io.asyncbench.futures;

import io.asyncbench.api.JoinableThreads;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.TimerFanOut;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A sleep as a future: {@code asyncio.sleep(d)} is {@code runAsync(wake, delayedExecutor(d))}, a
 * CompletableFuture that completes d after it is made. A sleeping task is that future and an
 * entry in the JDK's delay queue; no thread is held. api's {@link TimerFanOut} gathers them.
 *
 * <p>{@link CompletableFuture#delayedExecutor} keeps the delays on the JDK's one shared delay
 * thread, which only hands each due task over; the wake-ups run on {@code threads} named
 * ForkJoinPool workers, CompletableFuture's native executor, in async (FIFO) mode as suits
 * event-style tasks.
 */
final class FuturesTimers implements Sleeper {

    private final JoinableThreads threads = new JoinableThreads(FuturesStrategy.ID, "timer");
    private final ForkJoinPool wakers;
    /** The delayed executor of the last delay asked for: a gather asks N times for the same d. */
    private volatile Delay last = new Delay(-1, Runnable::run);

    private record Delay(long nanos, Executor afterIt) {
    }

    FuturesTimers(int threadCount) {
        wakers = new ForkJoinPool(threadCount, threads, null, true);
    }

    @Override
    public TimerFanOut.Capacity capacity() {
        return TimerFanOut.Capacity.heapOnly("a CompletableFuture in the JDK's delay queue");
    }

    @Override
    public void wakeAfter(long delayNanos, Runnable wake) {
        Delay delay = last;
        if (delay.nanos() != delayNanos) {
            // Each task's delay starts when it is handed to the executor.
            delay = new Delay(delayNanos, CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, wakers));
            last = delay;
        }
        CompletableFuture.runAsync(wake, delay.afterIt());
    }

    @Override
    public void close() {
        wakers.shutdownNow();
        threads.terminate("timer", wakers::awaitTermination);
    }
}
