package io.asyncbench.futures;

import io.asyncbench.api.IdleSweep;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

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
 * <p>The clock, the deadlines and when to sweep next are api's {@link IdleSweep}, shared by the
 * styles that check the idle timeout lazily; this class only says how a futures style waits.
 */
final class FuturesIdleTimeout {

    /** A connection not waiting for its client (busy answering, or between reads). */
    static final long NOT_WAITING = IdleSweep.NOT_WAITING;

    private final IdleSweep idle;
    private final Iterable<FuturesConnection> connections;
    private final Executor loop;
    private final BooleanSupplier open;
    /** How long the next round sleeps; written and read by the rounds, one after the other. */
    private long nextSleepNanos;

    private FuturesIdleTimeout(Duration timeout, Iterable<FuturesConnection> connections, Executor loop,
                               BooleanSupplier open) {
        this.idle = new IdleSweep(timeout);
        this.connections = connections;
        this.loop = loop;
        this.open = open;
        this.nextSleepNanos = idle.firstDelayNanos();
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

    /** The deadline of a read that starts now. */
    long deadlineFromNow() {
        return idle.deadlineFromNow();
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
        nextSleepNanos = idle.sweep(connections, FuturesConnection::idleDeadline, connection ->
                connection.fail(new TimeoutException("nothing received for " + idle.timeout())));
        return true;
    }
}
