package io.asyncbench.callbacks;

import io.asyncbench.api.JoinableThreads;
import io.asyncbench.api.Sleeper;
import io.asyncbench.api.TimerFanOut;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A sleep in the callbacks style: a callback scheduled on a {@link ScheduledThreadPoolExecutor}
 * of {@code threads} named threads, which is what NIO.2 code reaches for (the channel group
 * offers no timer of its own). api's {@link TimerFanOut} gathers the callbacks.
 *
 * <p>A sleeping task is one ScheduledFutureTask in the executor's delay queue (a binary heap) and
 * the callback it wraps: no stack, no thread, which is why a million fit.
 */
final class CallbacksTimers implements Sleeper {

    private final JoinableThreads threads = new JoinableThreads(CallbacksStrategy.ID, "timer");
    private final ScheduledThreadPoolExecutor timer;

    CallbacksTimers(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threadCount);
        }
        timer = new ScheduledThreadPoolExecutor(threadCount, threads);
    }

    @Override
    public TimerFanOut.Capacity capacity() {
        return TimerFanOut.Capacity.heapOnly("one ScheduledFutureTask in the timer's queue");
    }

    @Override
    public void wakeAfter(long delayNanos, Runnable wake) {
        timer.schedule(wake, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        threads.terminate("timer", timer::awaitTermination);
    }
}
