package io.asyncbench.netty;

import io.asyncbench.api.Sleeper;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.TimerFanOut;
import io.netty.util.HashedWheelTimer;
import java.util.concurrent.TimeUnit;

/**
 * {@code asyncio.sleep(d)} on Netty's {@link HashedWheelTimer}, what Netty users reach for when
 * timeouts come by the hundred thousand (the timing wheel of Varghese and Lauck): adding and
 * expiring a timeout are O(1), a sleeping task is one HashedWheelTimeout in a bucket's list, no
 * thread and no stack. api's {@link TimerFanOut} gathers them.
 *
 * <p>Why not {@code EventLoop.schedule}, the timer of a Netty handler (the http workload's /delay,
 * IdleStateHandler)? Measured here (JDK 25, 2 cores, 1,000,000 sleeps of 1 s, 3 runs each): the
 * loops' timer heaps woke tasks p50 48-121 ms and p99 97-224 ms late, because each loop pops
 * half a million O(log n) heap entries, each completing a promise, in the second they all fall
 * due; this wheel woke them p50 1.3 ms and p99 2-5 ms late, for a similar overhead (0.7-0.95 s,
 * mostly creating the million tasks) and heap per pending task (90 B here, 100 B there). It also
 * won at 10,000 and 100,000 sleeps. Its tick is set to 1 ms: with Netty's default of 100 ms,
 * meant for I/O timeouts that need no accuracy, tasks woke p50 33-87 ms late.
 *
 * <p>The wheel runs on one worker thread, whatever the budget ({@code threads} only bounds it):
 * the expired timeouts' callbacks all run there. Each task is added from the caller's thread,
 * which is what the wheel's lock-free pending queue is for; the worker moves them into its
 * buckets at each tick.
 */
final class NettyTimers implements Sleeper {

    /** The wheel's accuracy: a task wakes within about a tick after it is due. */
    private static final long TICK_MILLIS = 1;
    /** Netty's default: one turn of the wheel is 512 ticks. */
    private static final int TICKS_PER_WHEEL = 512;

    private final HashedWheelTimer timer;

    NettyTimers(String strategyId, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        // Daemon like the loops; no leak detection (a tracked resource per timer, for nothing).
        timer = new HashedWheelTimer(StrategyThreads.platform(strategyId, "timer", true),
                TICK_MILLIS, TimeUnit.MILLISECONDS, TICKS_PER_WHEEL, false);
        timer.start();
    }

    @Override
    public TimerFanOut.Capacity capacity() {
        return TimerFanOut.Capacity.heapOnly("one HashedWheelTimeout in a wheel bucket");
    }

    /** The wheel expires a timeout only at a tick at or past its deadline: never early. */
    @Override
    public void wakeAfter(long delayNanos, Runnable wake) {
        timer.newTimeout(timeout -> wake.run(), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the wheel: pending timeouts are dropped, and its worker thread is joined. */
    @Override
    public void close() {
        timer.stop();
    }
}
