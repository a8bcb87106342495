package io.asyncbench.virtualthreads;

import io.asyncbench.api.Sleeper;
import io.asyncbench.api.TimerFanOut;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A sleep in blocking style: a thread that calls {@link Thread#sleep}, then wakes its task. api's
 * {@link TimerFanOut} gathers them.
 *
 * <p>On virtual threads a sleeping task is a parked continuation on the heap plus a timer entry
 * in the JDK's scheduler: a million fit. On platform threads each task is an OS thread with its
 * own stack, so the kernel's thread limits apply: {@link #capacity()} states them, and a larger N
 * is refused up front instead of failing halfway with "unable to create native thread".
 *
 * <p>The thread budget of {@code Strategy.timers(threads)} does not apply: there is no timer
 * thread to size, each task is its own thread (and virtual threads run on the JDK's carriers).
 * Starting the thread is part of what a blocking sleep costs, so it counts in its lateness.
 */
final class BlockingTimers implements Sleeper {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    /** One thread per sleep, each tracked until it ends, so that close() can wait for them. */
    private final ExecutorService sleepers;
    private final TimerFanOut.Capacity capacity;

    BlockingTimers(String strategyId, ThreadKind kind) {
        this.sleepers = Executors.newThreadPerTaskExecutor(kind.factory(strategyId, "timer"));
        this.capacity = kind.capacity();
    }

    @Override
    public TimerFanOut.Capacity capacity() {
        return capacity;
    }

    @Override
    public void wakeAfter(long delayNanos, Runnable wake) {
        sleepers.execute(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(delayNanos); // at least the delay: never early
            } catch (InterruptedException closing) {
                return; // close() stops the sleepers still waiting
            }
            wake.run();
        });
    }

    /** Interrupts the sleepers still waiting and waits until every one of them has ended. */
    @Override
    public void close() {
        sleepers.shutdownNow();
        try {
            if (!sleepers.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timer threads still running after " + CLOSE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
