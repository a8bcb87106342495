package io.asyncbench.api;

/**
 * One style's way to sleep: the only thing the timers workload asks of a strategy, "wake me after
 * d", answered with a scheduled callback, a delayed future, a loop timer, a sleeping thread or a
 * Netty timer. {@link TimerFanOut} does the rest (the due times, the wake-up times, the gather and
 * the lateness), the same way for every strategy, so that what {@link TimerReport} says means the
 * same for all of them.
 *
 * <p>Opened by {@link Strategy#sleepers()} with a thread budget; {@link #close()} frees the threads
 * (and wheels, heaps, loops) it holds.
 */
public interface Sleeper extends AutoCloseable {

    /**
     * The largest number of concurrent sleeping tasks this style can hold on this machine, with
     * the reason when it is a hard limit (platform threads: one OS thread per task). Asked once.
     */
    TimerFanOut.Capacity capacity();

    /**
     * Runs {@code wake} once, no earlier than {@code delayNanos} after this call, in this style.
     * Returns at once: the sleep is handed over, never waited for. {@code wake} only records the
     * time and counts down; it may run on any thread of this style.
     *
     * <p>Called for one task after another, on the caller's thread or, for a style with several
     * {@link #lanes()}, inside {@link #inLane} on that lane's thread.
     */
    void wakeAfter(long delayNanos, Runnable wake);

    /**
     * How many independent timers this style has, each to be asked from its own thread: an event
     * loop's timer heap is not thread-safe, and asyncio, too, creates a loop's sleeps on that loop.
     * The tasks are spread evenly over them. One, asked from the caller's thread, unless a style
     * says otherwise.
     */
    default int lanes() {
        return 1;
    }

    /**
     * Runs {@code asking} (a series of {@link #wakeAfter} calls) where lane {@code lane} must be
     * asked: on the caller's thread unless a style says otherwise, then soon on its own thread.
     */
    default void inLane(int lane, Runnable asking) {
        asking.run();
    }

    /** Stops the timers (pending sleeps are dropped) and frees the threads. */
    @Override
    void close();
}
