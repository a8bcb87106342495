package io.asyncbench.load;

import java.lang.management.ManagementFactory;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes a selector at a set time: the open loop's way to block in {@code select()} until either a
 * reply arrives, which is then read at once, or its next intended send falls due.
 *
 * <p>{@link Selector#select(long)} cannot wait less than a millisecond, and sleeping in short slices
 * between non-blocking selects instead leaves every reply unread until the slice ends: 100 µs slices
 * put a floor of about 200 µs under every open-loop median, the same for every strategy, hiding the
 * differences the median is there to show. A thread of its own parks until the time and calls
 * {@link Selector#wakeup()}; the loop blocks meanwhile, so nothing spins and the client's CPU
 * follows the rate.
 */
final class SelectorAlarm implements AutoCloseable {

    private static final long DISARMED = Long.MIN_VALUE;

    private final Selector selector;
    private final AtomicLong wakeAt = new AtomicLong(DISARMED);
    private final Thread thread;
    private volatile boolean closed;

    SelectorAlarm(Selector selector, String name) {
        this.selector = selector;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /**
     * Wakes the selector at {@code atNanos} ({@link System#nanoTime()}), replacing any earlier time.
     * A wake-up for a time replaced too late to stop is spurious for the loop, which then just looks
     * at the time again.
     */
    void wakeAt(long atNanos) {
        wakeAt.set(atNanos);
        LockSupport.unpark(thread);
    }

    /** CPU time of the alarm's thread so far, ns; -1 where the JVM does not tell. */
    long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.threadId());
    }

    private void run() {
        while (!closed) {
            long at = wakeAt.get();
            if (at == DISARMED) {
                LockSupport.park(this);
                continue;
            }
            long left = at - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
            } else if (!closed && wakeAt.compareAndSet(at, DISARMED)) {
                selector.wakeup();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
