package io.asyncbench.futures;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * {@code orTimeout} for every read of a server that waits for a client's next request, checked
 * lazily: such a read notes its deadline in its connection ({@link FuturesConnection#readIdle}),
 * and one loop of delayed sweeps ({@code while (open) { await sleep(next); sweep(); }}) closes the
 * connections whose read is overdue, which fails that read's future and so the session.
 *
 * <p>Why not {@code read.orTimeout(idle)}: each call puts a task on the JDK's single delay
 * scheduler (ForkJoinPool's since JDK 25), and the read's completion cancels it; both hand work
 * to that thread, waking it when it sleeps, once or twice per request, for a timer that almost
 * never fires. Here a read costs a clock reading and a field store; the timeout costs a sweep per
 * timeout period, as in the selector and Netty, plus a close per connection that actually times
 * out. ({@code orTimeout} is kept for the rare read that continues an unfinished request head,
 * and for a write the socket could not take at once.)
 *
 * <p>Deadlines only move forward: each is the time a read started plus the same timeout, so a
 * read started after a sweep is due after every deadline that sweep saw. Sleeping until the
 * earliest one seen (at most a timeout) therefore misses none; {@link #granularity} bounds how
 * often it wakes when many connections fall due one after the other, and so how late a close
 * may be: a tenth of the timeout, at most {@link #MAX_LATENESS}.
 */
final class FuturesIdleTimeout {

    /** A connection not waiting for its client (busy answering, or between reads). */
    static final long NOT_WAITING = Long.MAX_VALUE;

    private static final Duration MAX_LATENESS = Duration.ofMillis(50);
    /** Longer timeouts mean "never", and keep every deadline far from overflowing a long. */
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;

    private final long origin = System.nanoTime();
    private final Duration timeout;
    private final long timeoutNanos;
    private final long granularity;
    private final Iterable<FuturesConnection> connections;
    private final Executor loop;
    private final BooleanSupplier open;
    /** How long the next round sleeps; written and read by the rounds, one after the other. */
    private long nextSleepNanos;

    private FuturesIdleTimeout(Duration timeout, Iterable<FuturesConnection> connections, Executor loop,
                               BooleanSupplier open) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.compareTo(Duration.ofNanos(MAX_TIMEOUT_NANOS)) > 0
                ? MAX_TIMEOUT_NANOS : timeout.toNanos();
        this.granularity = Math.clamp(timeoutNanos / 10, 1, MAX_LATENESS.toNanos());
        this.connections = connections;
        this.loop = loop;
        this.open = open;
        this.nextSleepNanos = timeoutNanos; // the first deadline is due a timeout from now at the earliest
    }

    /**
     * Watches {@code connections} (a live view), sweeping on {@code loop}, while {@code open}
     * says so.
     */
    static FuturesIdleTimeout start(Duration timeout, Iterable<FuturesConnection> connections, Executor loop,
                                    BooleanSupplier open) {
        FuturesIdleTimeout idle = new FuturesIdleTimeout(timeout, connections, loop, open);
        FuturesLoop.repeat(idle::sleepThenSweep);
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

    private CompletableFuture<Boolean> sleepThenSweep() {
        return CompletableFuture.supplyAsync(this::sweep,
                CompletableFuture.delayedExecutor(nextSleepNanos, TimeUnit.NANOSECONDS, loop));
    }

    /** One round; false ends the loop (the server closed, and closes its connections itself). */
    private boolean sweep() {
        if (!open.getAsBoolean()) {
            return false;
        }
        long now = now();
        long earliest = sweep(connections, FuturesConnection::idleDeadline, now, connection ->
                connection.fail(new TimeoutException("nothing received for " + timeout)));
        nextSleepNanos = nextSweep(now, earliest, timeoutNanos, granularity) - now();
        return true;
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
