package io.asyncbench.selector;

/**
 * A callback scheduled with {@link SelectorEventLoop#callLater} or {@link SelectorEventLoop#callAt},
 * asyncio's {@code TimerHandle}. Cancelling only marks it: the loop drops cancelled handles lazily,
 * when they reach the top of the timer heap or when more than half of a large heap is cancelled,
 * so {@link #cancel()} is O(1).
 */
public final class TimerHandle implements Comparable<TimerHandle>, Runnable {

    private final SelectorEventLoop loop;
    private final long when;
    private final long sequence;
    private Runnable callback;
    private boolean cancelled;
    /** True while the handle sits in the loop's heap; only then does a cancel count toward cleanup. */
    boolean scheduled;

    TimerHandle(SelectorEventLoop loop, long when, long sequence, Runnable callback) {
        this.loop = loop;
        this.when = when;
        this.sequence = sequence;
        this.callback = callback;
    }

    /** When the callback is due, on the {@link SelectorEventLoop#time()} clock (nanoseconds). */
    public long when() {
        return when;
    }

    /**
     * Prevents the callback from running if it has not run yet. Idempotent. From a thread other
     * than the loop's, the cancel is handed to the loop, so it takes effect a moment later.
     */
    public void cancel() {
        if (!loop.onLoopOrIdle()) {
            loop.callSoonThreadsafe(this::cancel);
            return;
        }
        if (!cancelled) {
            cancelled = true;
            callback = null; // let the closure go now rather than when the heap drops the handle
            if (scheduled) {
                loop.timerHandleCancelled();
            }
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback unless cancelled; the loop calls this once the handle is due. */
    @Override
    public void run() {
        Runnable task = callback;
        if (!cancelled && task != null) {
            callback = null;
            task.run();
        }
    }

    /** Earlier first; equal times in scheduling order, so callAt(t) twice runs FIFO. */
    @Override
    public int compareTo(TimerHandle other) {
        int byTime = Long.compare(when - other.when, 0); // nanoTime values compare by difference
        return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return "TimerHandle[when=" + when + (cancelled ? ", cancelled]" : "]");
    }
}
