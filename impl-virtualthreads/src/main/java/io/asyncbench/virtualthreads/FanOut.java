package io.asyncbench.virtualthreads;

/**
 * How the gateway runs one request's K backend calls concurrently and gathers them by its
 * deadline: {@code asyncio.wait_for(asyncio.gather(*calls), deadline)}. The one part of the
 * gateway the strategies of this module write each in their own idiom: an executor per request
 * and a completion queue ({@link BackendCalls}, virtual and platform threads), or a
 * {@code StructuredTaskScope} ({@code structured}). The gateway keeps everything else: the
 * connection pool, its per-backend cap, the exchange, the answer.
 *
 * <p>Whatever ends the gather (every call returned, one failed, the deadline), {@link #gather}
 * returns only once every call it started has returned: calls still out are cancelled by
 * interrupting them (an interrupted channel closes itself), and waited for.
 */
interface FanOut extends AutoCloseable {

    /** How a gather ended; the gateway answers 200, 502 or 504. */
    enum Outcome {
        /** Every call returned normally. */
        GATHERED,
        /** A call failed (the backend refused, closed, answered wrongly) before the deadline. */
        FAILED,
        /** The deadline came first: a call was still out, or still waiting to start. */
        DEADLINE
    }

    /** One request's calls, numbered from 0. */
    interface Calls {
        /**
         * Waits, on the request's thread, until call {@code call} may start (a backend connection
         * is free for it), at most until {@code deadlineNanos} ({@link System#nanoTime()}).
         *
         * @return false when the deadline came first; then no later call starts either
         */
        boolean admit(int call, long deadlineNanos) throws InterruptedException;

        /** Runs call {@code call}, blocking, on a thread of its own; throws if it failed. */
        void run(int call) throws Exception;
    }

    /**
     * Starts {@code count} calls, each once {@link Calls#admit admitted}, gathers them until
     * {@code deadlineNanos}, and returns how that ended once every started call has returned.
     */
    Outcome gather(int count, Calls calls, long deadlineNanos) throws InterruptedException;

    /** Ends the threads kept between requests, if any. Called once no request is running. */
    @Override
    void close();
}
