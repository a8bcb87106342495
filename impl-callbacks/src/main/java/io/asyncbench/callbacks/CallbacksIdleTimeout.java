package io.asyncbench.callbacks;

import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * A server's idle timeout, checked lazily: a read that waits for a client's next request notes
 * its deadline in its connection ({@link CallbacksConnection#readIdle}), and one scheduled
 * callback on the server's timer wakes up at the earliest deadline it saw and closes the
 * connections whose read is overdue.
 *
 * <p>Why not NIO.2's timed read, {@code read(dst, timeout, unit, ...)}: every read that does not
 * complete at once then schedules a task on the group's timeout executor, and its completion
 * cancels it: an allocation and two trips through that executor's locked queue per request, for
 * a timer that almost never fires. Here a read costs a clock reading and a field store; the
 * timeout costs a wake-up per timeout period, as in the selector and Netty, plus a close per
 * connection that actually times out. (The timed read is kept for the rare read that continues
 * an unfinished request head, whose deadline is shorter.)
 *
 * <p>Deadlines only move forward: each is the time a read started plus the same timeout, so a
 * read started after a sweep is due after every deadline that sweep saw. Sleeping until the
 * earliest one seen (at most a timeout) therefore misses none; {@link #granularity} bounds how
 * often it wakes when many connections fall due one after the other, and so how late a close
 * may be: a tenth of the timeout, at most {@link #MAX_LATENESS}.
 */
final class CallbacksIdleTimeout {

    /** A connection not waiting for its client (busy answering, or between reads). */
    static final long NOT_WAITING = Long.MAX_VALUE;

    private static final Duration MAX_LATENESS = Duration.ofMillis(50);
    /** Longer timeouts mean "never", and keep every deadline far from overflowing a long. */
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

    private final long origin = System.nanoTime();
    private final long timeoutNanos;
    private final long granularity;
    private final Iterable<CallbacksConnection> connections;
    private final ScheduledExecutorService timer;
    private final Runnable sweep = this::sweep;

    private CallbacksIdleTimeout(Duration timeout, Iterable<CallbacksConnection> connections,
                                 ScheduledExecutorService timer) {
        this.timeoutNanos = timeout.compareTo(Duration.ofNanos(MAX_TIMEOUT_NANOS)) > 0
                ? MAX_TIMEOUT_NANOS : timeout.toNanos();
        this.granularity = Math.clamp(timeoutNanos / 10, 1, MAX_LATENESS.toNanos());
        this.connections = connections;
        this.timer = timer;
    }

    /**
     * Watches {@code connections} (a live view) on {@code timer} until the timer shuts down;
     * the first sweep is a timeout from now, when the first deadline can be due at the earliest.
     */
    static CallbacksIdleTimeout start(Duration timeout, Iterable<CallbacksConnection> connections,
                                      ScheduledExecutorService timer) {
        CallbacksIdleTimeout idle = new CallbacksIdleTimeout(timeout, connections, timer);
        idle.schedule(idle.timeoutNanos);
        return idle;
    }

    /** The deadline of a read that starts now: {@link #now()} plus the timeout. */
    long deadlineFromNow() {
        return now() + timeoutNanos;
    }

    /** This timeout's clock: nanoseconds since it started, never negative, never NOT_WAITING. */
    long now() {
        return System.nanoTime() - origin;
    }

    private void sweep() {
        long now = now();
        long earliest = sweep(connections, CallbacksConnection::idleDeadline, now,
                connection -> connection.fail(
                        new InterruptedByTimeoutException())); // its pending read then fails too
        schedule(nextSweep(now, earliest, timeoutNanos, granularity) - now());
    }

    private void schedule(long delayNanos) {
        try {
            timer.schedule(sweep, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // The server is closing, and closes every connection itself.
        }
    }

    /**
     * One pass at {@code now}: hands every connection whose deadline has passed to
     * {@code expire}, and returns the earliest deadline still to come ({@link #NOT_WAITING} if
     * none).
     */
    static <C> long sweep(Iterable<C> connections, ToLongFunction<C> deadline, long now, Consumer<C> expire) {
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
