package io.asyncbench.coroutines

import io.asyncbench.api.JoinableThreads
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import java.nio.channels.CancelledKeyException
import java.nio.channels.ClosedSelectorException
import java.nio.channels.SelectableChannel
import java.nio.channels.SelectionKey
import java.nio.channels.Selector
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.resume

/**
 * Readiness for suspend functions, as ktor-network's selector manager provides it: one
 * [Selector], one thread that does nothing but wait in `select` and resume the coroutines whose
 * channel became ready. The coroutine itself reads and writes, on the server's dispatcher; a
 * read that finds nothing suspends in [Readiness.awaitReadable] until the poller says the
 * channel is readable. The same split as the JDK's poller for virtual threads: the IO budget's
 * threads run the code, a poller only waits.
 *
 * Level-triggered, one-shot: a wait adds its operation to the key's interest set, the poller
 * takes it out again once it fired, so a channel nobody waits on costs the selector nothing.
 */
internal class Poller private constructor(
    private val selector: Selector,
    private val threads: JoinableThreads,
) : AutoCloseable {

    @Volatile
    private var open = true

    /** Registers [channel] (non-blocking) with this poller; no operation is watched until a wait asks. */
    fun register(channel: SelectableChannel): Readiness {
        channel.configureBlocking(false)
        return Readiness(channel, this)
    }

    internal fun keyFor(channel: SelectableChannel, readiness: Readiness): SelectionKey =
        channel.register(selector, 0, readiness)

    /** A changed interest set takes effect at the next select: end the one under way (coalesced by the JDK). */
    internal fun wakeup() {
        selector.wakeup()
    }

    private fun loop() {
        try {
            while (open) {
                selector.select { key -> (key.attachment() as Readiness).fired(key) }
            }
        } catch (_: ClosedSelectorException) {
            // close() raced with a select: the loop is over either way
        } finally {
            selector.close() // completes the deferred close of every channel still registered
        }
    }

    /** Ends the select loop and waits for its thread; every channel must be closed by now. */
    override fun close() {
        open = false
        selector.wakeup()
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JoinableThreads.CLOSE_TIMEOUT_SECONDS)
        check(threads.joinAll(deadline)) { "poller thread still running after ${JoinableThreads.CLOSE_TIMEOUT_SECONDS} s" }
    }

    companion object {
        fun start(strategyId: String): Poller {
            val threads = JoinableThreads(strategyId, "poller")
            val poller = Poller(Selector.open(), threads)
            threads.newThread(poller::loop).start()
            return poller
        }
    }
}

/**
 * One channel's registration with a [Poller]: at most one coroutine waits to read (or accept)
 * and one to write (or connect) at a time, as with any socket.
 */
internal class Readiness(private val channel: SelectableChannel, private val poller: Poller) {

    private val key = poller.keyFor(channel, this)
    private val reader = AtomicReference<CancellableContinuation<Unit>?>()
    private val writer = AtomicReference<CancellableContinuation<Unit>?>()

    /** Suspends until the channel is readable (a listener: acceptable), or [wakeReader] is called. */
    suspend fun awaitReadable() =
        await(reader, if (channel.validOps() and SelectionKey.OP_ACCEPT != 0) SelectionKey.OP_ACCEPT else SelectionKey.OP_READ)

    /** Suspends until the channel is writable. */
    suspend fun awaitWritable() = await(writer, SelectionKey.OP_WRITE)

    /** Suspends until a connect under way can be finished. */
    suspend fun awaitConnectable() = await(writer, SelectionKey.OP_CONNECT)

    /**
     * Resumes the coroutine waiting to read, if any, whether or not there is anything to read:
     * it tries again and sees (the idle timeout's sweep uses this to end an overdue wait).
     */
    fun wakeReader() = wake(reader)

    /** After the channel was closed: whoever waits tries again and meets the closed channel. */
    fun closed() {
        wake(reader)
        wake(writer)
        poller.wakeup() // the selector completes the channel's close at its next select
    }

    private suspend fun await(waiter: AtomicReference<CancellableContinuation<Unit>?>, op: Int) =
        suspendCancellableCoroutine { continuation ->
            waiter.set(continuation)
            continuation.invokeOnCancellation { waiter.compareAndSet(continuation, null) }
            try {
                key.interestOpsOr(op)
            } catch (_: CancelledKeyException) {
                wake(waiter) // closed meanwhile: the retry meets the closed channel
                return@suspendCancellableCoroutine
            }
            poller.wakeup()
        }

    /** On the poller's thread: the operations ready on [key] leave the interest set and their waiters resume. */
    internal fun fired(key: SelectionKey) {
        val ready = try {
            key.readyOps().also { key.interestOpsAnd(it.inv()) }
        } catch (_: CancelledKeyException) {
            SelectionKey.OP_READ or SelectionKey.OP_WRITE // closed: both retry and meet the closed channel
        }
        if (ready and (SelectionKey.OP_READ or SelectionKey.OP_ACCEPT) != 0) wake(reader)
        if (ready and (SelectionKey.OP_WRITE or SelectionKey.OP_CONNECT) != 0) wake(writer)
    }

    private fun wake(waiter: AtomicReference<CancellableContinuation<Unit>?>) {
        waiter.getAndSet(null)?.resume(Unit) // a cancelled one ignores it
    }
}
