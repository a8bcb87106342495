package io.asyncbench.coroutines

import io.asyncbench.api.JoinableThreads
import io.asyncbench.api.Sleeper
import io.asyncbench.api.TimerFanOut
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.util.concurrent.Executors
import java.util.concurrent.ScheduledThreadPoolExecutor
import kotlin.time.Duration.Companion.nanoseconds

/**
 * A sleep in the coroutine style: `launch { delay(d); wake() }`, asyncio's `asyncio.sleep` in a
 * task. The coroutines run on a dispatcher of `threads` named threads over a
 * [ScheduledThreadPoolExecutor], whose queue is `delay`'s timer; api's [TimerFanOut] gathers them.
 *
 * A sleeping task is a suspended coroutine (its Job and continuation) and one task in the
 * executor's delay queue: no stack, no thread. Started undispatched, so the caller's thread runs
 * each one up to its `delay`, and the dispatcher's threads only wake them.
 */
internal class CoroutinesTimers(threadCount: Int) : Sleeper {

    private val threads = JoinableThreads(ID, "timer")
    private val executor: ScheduledThreadPoolExecutor
    private val scope: CoroutineScope

    init {
        require(threadCount >= 1) { "threads must be at least 1: $threadCount" }
        executor = Executors.newScheduledThreadPool(threadCount, threads) as ScheduledThreadPoolExecutor
        executor.removeOnCancelPolicy = true // close() cancels pending sleeps: out of the queue at once
        scope = CoroutineScope(SupervisorJob() + executor.asCoroutineDispatcher() + CoroutineName("asyncbench-$ID-timers"))
    }

    override fun capacity(): TimerFanOut.Capacity =
        TimerFanOut.Capacity.heapOnly("a suspended coroutine and one task in the executor's delay queue")

    override fun wakeAfter(delayNanos: Long, wake: Runnable) {
        scope.launch(start = CoroutineStart.UNDISPATCHED) {
            delay(delayNanos.nanoseconds) // rounded up to a millisecond, as kotlinx does: never early
            wake.run()
        }
    }

    /** Cancels every pending sleep, waits for the coroutines to complete, then for the threads to end. */
    override fun close() {
        scope.cancelAndAwait()
        executor.shutdownNow()
        threads.terminate("timer", executor::awaitTermination)
    }
}
