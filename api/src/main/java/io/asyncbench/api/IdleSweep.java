package io.asyncbench.api;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The bookkeeping of an idle timeout checked lazily, the same in every style that uses it: a read
 * that waits for a client's next request notes its deadline ({@link #deadlineFromNow()}) in its
 * connection, and one sweep per server expires the connections whose read is overdue. How the
 * sweep wakes up (a sleeping thread, a scheduled callback, a delayed future) is the style's; the
 * clock, the deadlines and when to wake next are here, once.
 *
 * <p>Deadlines only move forward: each is the time a read started plus the same timeout, so a
 * read started after a sweep is due after every deadline that sweep saw. Sleeping until the
 * earliest one seen (at most a timeout) therefore misses none. The granularity bounds how often
 * the sweep wakes when many connections fall due one after the other, and so how late an expiry
 * may be: a tenth of the timeout, at most {@link #MAX_LATENESS}.
 */
public final class IdleSweep {

    /** A connection not waiting for its client (busy answering, or between reads). */
    public static final long NOT_WAITING = Long.MAX_VALUE;

    static final Duration MAX_LATENESS = Duration.ofMillis(50);
    /** Longer timeouts mean "never", and keep every deadline far from overflowing a long. */
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

    private final long origin = System.nanoTime();
    private final Duration timeout;
    private final long timeoutNanos;
    private final long granularity;

    public IdleSweep(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.compareTo(Duration.ofNanos(MAX_TIMEOUT_NANOS)) > 0
                ? MAX_TIMEOUT_NANOS : timeout.toNanos();
        this.granularity = Math.clamp(timeoutNanos / 10, 1, MAX_LATENESS.toNanos());
    }

    public Duration timeout() {
        return timeout;
    }

    /** How long to wait before the first sweep: a timeout, when the first deadline is due at the earliest. */
    public long firstDelayNanos() {
        return timeoutNanos;
    }

    /** The deadline of a read that starts now: {@link #now()} plus the timeout. */
    public long deadlineFromNow() {
        return now() + timeoutNanos;
    }

    /** This sweep's clock: nanoseconds since it was made, never negative, never {@link #NOT_WAITING}. */
    public long now() {
        return System.nanoTime() - origin;
    }

    /**
     * One pass now: hands every connection whose {@code deadline} has passed to {@code expire},
     * and returns how many nanoseconds to wait before the next pass.
     */
    public <C> long sweep(Iterable<C> connections, ToLongFunction<C> deadline, Consumer<C> expire) {
        long now = now();
        return delayAfterSweep(now, sweep(connections, deadline, now, expire));
    }

    /** Nanoseconds to wait after a pass at {@code now} that saw {@code earliest} as the earliest deadline to come. */
    public long delayAfterSweep(long now, long earliest) {
        return nextSweep(now, earliest, timeoutNanos, granularity) - now();
    }

    /**
     * One pass at {@code now}: hands every connection whose deadline has passed to
     * {@code expire}, and returns the earliest deadline still to come ({@link #NOT_WAITING} if
     * none).
     */
    public static <C> long sweep(Iterable<C> connections, ToLongFunction<C> deadline, long now,
                                 Consumer<C> expire) {
        long earliest = NOT_WAITING;
        for (C connection : connections) {
            long due = deadline.applyAsLong(connection);
            if (due > now) {
                earliest = Math.min(earliest, due);
            } else {
                expire.accept(connection);
            }
        }
        return earliest;
    }

    /**
     * When to sweep again: at the earliest deadline seen, no later than a timeout from now (a
     * read starting from now on is due no earlier), and no sooner than {@code granularity} from now.
     */
    static long nextSweep(long now, long earliest, long timeout, long granularity) {
        return Math.max(now + granularity, Math.min(earliest, now + timeout));
    }
}
