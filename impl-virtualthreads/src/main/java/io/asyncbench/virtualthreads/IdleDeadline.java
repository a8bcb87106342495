package io.asyncbench.virtualthreads;

import io.asyncbench.api.IdleSweep;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One connection's idle deadline: when the read its thread is blocked in must have returned by.
 * Its serving thread writes it around each read, and the {@link IdleReaper} looks at it now and
 * then. That is the whole cost of the idle timeout per read: two plain stores, no timer.
 *
 * <p>The deadline is only set while the thread is blocked in a read. A thread that is busy
 * (answering, sleeping in {@code /delay}, blocked writing to a client that does not read) is
 * {@link #NOT_WAITING}, since the idle timeout is about a client that sends nothing, not about
 * a server that is slow to answer.
 *
 * <p>Deadlines are in the reaper's clock ({@link IdleReaper#now()}: nanoseconds since it started,
 * never negative), so no real deadline can collide with {@link #NOT_WAITING}.
 */
final class IdleDeadline {

    /** Not blocked in a read, or already expired: the reaper leaves the connection alone. */
    static final long NOT_WAITING = IdleSweep.NOT_WAITING;

    private static final VarHandle DEADLINE;

    static {
        try {
            DEADLINE = MethodHandles.lookup().findVarHandle(IdleDeadline.class, "deadline", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through DEADLINE
    private volatile long deadline = NOT_WAITING;
    /** Set by the reaper when it ended this connection's wait: the EOF that follows is ours. */
    private volatile boolean expired;

    /**
     * The serving thread, about to block in a read. A release store, not a volatile one: the
     * reaper needs to see it eventually (it is late by a sweep at worst), not at once.
     */
    void waitingUntil(long deadline) {
        DEADLINE.setRelease(this, deadline);
    }

    /** The serving thread, back from its read. */
    void notWaiting() {
        DEADLINE.setRelease(this, NOT_WAITING);
    }

    /** The deadline of the read the serving thread is blocked in, or {@link #NOT_WAITING}. */
    long deadline() {
        return (long) DEADLINE.getAcquire(this);
    }

    /**
     * The reaper, having seen {@code seen} overdue: claims the expiry if the thread is still in
     * that same read (its next read has a later deadline, and a thread back from it is
     * {@link #NOT_WAITING}). True once per expiry; the caller then ends the read.
     */
    boolean expire(long seen) {
        if (seen == NOT_WAITING || !DEADLINE.compareAndSet(this, seen, NOT_WAITING)) {
            return false;
        }
        expired = true;
        return true;
    }

    /**
     * The reaper, in a sweep at {@code now}: claims the expiry if the read the thread is blocked
     * in is overdue (see {@link #expire}).
     */
    boolean expireIfOverdue(long now) {
        long seen = deadline();
        return seen <= now && expire(seen);
    }

    /** Whether the reaper ended a read: an end of stream is then the idle timeout, not the client's. */
    boolean expired() {
        return expired;
    }
}
