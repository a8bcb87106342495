package io.asyncbench.coroutines

import io.asyncbench.api.IdleSweep
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

/**
 * A server's idle timeout, checked lazily: a read waiting for a client's next request notes its
 * deadline in its socket ([CoroutinesSocket.readIdle]), and one coroutine per server sleeps until
 * the earliest deadline it saw and wakes the reads that are overdue; each then sees it is
 * overdue and gives up. A `withTimeout` around every read would arm and cancel a timer per
 * request for a timeout that almost never fires. The clock and when to look next are api's
 * [IdleSweep], shared with the styles that check the idle timeout the same way.
 */
internal class CoroutinesIdleTimeout(timeout: Duration, private val sockets: Iterable<CoroutinesSocket>) {

    val clock = IdleSweep(timeout)

    /** The sweeping coroutine, a child of [scope]: it ends when the server's scope is cancelled. */
    fun startIn(scope: CoroutineScope) {
        scope.launch(CoroutineName("idle-sweep")) {
            var wait = clock.firstDelayNanos()
            while (true) {
                delay(wait.nanoseconds)
                wait = clock.sweep(sockets, CoroutinesSocket::idleDeadline, CoroutinesSocket::wakeIdleRead)
            }
        }
    }

    /** The deadline of a read that starts now. */
    fun deadlineFromNow(): Long = clock.deadlineFromNow()
}
