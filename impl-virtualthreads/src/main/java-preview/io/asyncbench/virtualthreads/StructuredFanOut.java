package io.asyncbench.virtualthreads;

import java.time.Duration;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.ThreadFactory;

/**
 * The gateway's fan-out as structured concurrency (JEP 505, a preview API of JDK 25): a request's
 * backend calls are the subtasks of one {@link StructuredTaskScope}, opened with the request's
 * deadline as its timeout and the joiner that cancels the scope at the first failure. It is
 * asyncio's
 * <pre>
 *   async with asyncio.timeout(deadline):
 *       async with asyncio.TaskGroup() as group:
 *           for i in range(k):
 *               group.create_task(call(i))
 * </pre>
 * {@code join()} returns once every call succeeded, throws {@code FailedException} at the first
 * failure (502) and {@code TimeoutException} at the deadline (504); in both cases the scope has
 * already cancelled the calls still running, by interrupting them, and {@code close()} waits for
 * them. No completion queue, no futures to cancel by hand: that bookkeeping is the scope's.
 *
 * <p>The only class of asyncbench compiled with {@code --enable-preview} (for JDK 25 exactly, from
 * {@code src/main/java-preview}): it loads only in a JVM started with {@code --enable-preview}.
 * {@link StructuredStrategy} names it only as a string and loads it when a gateway starts, so
 * every other class stays loadable everywhere.
 */
final class StructuredFanOut implements FanOut {

    private final ThreadFactory threads;

    /** @param threads makes each call's thread: a named virtual thread */
    StructuredFanOut(ThreadFactory threads) {
        this.threads = threads;
    }

    @Override
    public Outcome gather(int count, Calls calls, long deadlineNanos) throws InterruptedException {
        Duration timeout = Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime()));
        int started = 0;
        try (var scope = StructuredTaskScope.open(Joiner.<Void>awaitAllSuccessfulOrThrow(),
                config -> config.withThreadFactory(threads).withTimeout(timeout))) {
            while (started < count && calls.admit(started, deadlineNanos)) {
                int call = started++;
                scope.fork(() -> {
                    calls.run(call);
                    return null;
                });
            }
            scope.join();
            // A call still waiting for a connection at the deadline: the calls started may all
            // have returned before the scope's own timeout, set to the same instant, fired.
            return started == count ? Outcome.GATHERED : Outcome.DEADLINE;
        } catch (StructuredTaskScope.FailedException failed) {
            return Outcome.FAILED;
        } catch (StructuredTaskScope.TimeoutException late) {
            return Outcome.DEADLINE;
        }
    }

    /** Each scope's threads end with the scope: nothing is kept between requests. */
    @Override
    public void close() {
    }
}
