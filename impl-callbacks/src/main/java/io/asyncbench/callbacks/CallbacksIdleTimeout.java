package io.asyncbench.callbacks;

import io.asyncbench.api.IdleSweep;
import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * <p>The clock, the deadlines and when to sweep next are api's {@link IdleSweep}, shared by the
 * styles that check the idle timeout lazily; this class only says how a callback style wakes up.
 */
final class CallbacksIdleTimeout {

    /** A connection not waiting for its client (busy answering, or between reads). */
    static final long NOT_WAITING = IdleSweep.NOT_WAITING;

    private final IdleSweep idle;
    private final Iterable<CallbacksConnection> connections;
    private final ScheduledExecutorService timer;
    private final Runnable sweep = this::sweep;

    private CallbacksIdleTimeout(Duration timeout, Iterable<CallbacksConnection> connections,
                                 ScheduledExecutorService timer) {
        this.idle = new IdleSweep(timeout);
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
        idle.schedule(idle.idle.firstDelayNanos());
        return idle;
    }

    /** The deadline of a read that starts now. */
    long deadlineFromNow() {
        return idle.deadlineFromNow();
    }

    private void sweep() {
        schedule(idle.sweep(connections, CallbacksConnection::idleDeadline,
                connection -> connection.fail(
                        new InterruptedByTimeoutException()))); // its pending read then fails too
    }

    private void schedule(long delayNanos) {
        try {
            timer.schedule(sweep, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // The server is closing, and closes every connection itself.
        }
    }
}
