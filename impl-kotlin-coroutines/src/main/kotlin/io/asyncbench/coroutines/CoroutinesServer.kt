package io.asyncbench.coroutines

import io.asyncbench.api.AcceptFailures
import io.asyncbench.api.JoinableThreads
import io.asyncbench.api.RunningServer
import io.asyncbench.api.ServerCounters
import io.asyncbench.api.ServerSpec
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import java.io.IOException
import java.net.InetSocketAddress
import java.net.SocketAddress
import java.nio.channels.ServerSocketChannel
import java.nio.channels.SocketChannel
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.ScheduledThreadPoolExecutor
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds

/**
 * What every workload shares: a dispatcher of exactly [ServerSpec.ioThreads] named threads, a
 * [Poller], and a server [scope] whose [SupervisorJob] is the parent of every coroutine the server
 * starts: the accept loop, one coroutine per connection (`launch { handle(socket) }`), and the
 * coroutines those start. [close] cancels the scope, waits for it to complete, and only then
 * stops the poller and the threads.
 *
 * The dispatcher is a [ScheduledThreadPoolExecutor]'s: kotlinx runs `delay` and `withTimeout` on
 * the executor's own timer (a dispatcher over a ScheduledExecutorService is a `Delay`), so nothing
 * of kotlinx's global machinery (Dispatchers.Default, Dispatchers.IO, DefaultExecutor) ever starts.
 * It would if this executor refused work (kotlinx falls back to them): so it is shut down last,
 * once no coroutine is left to resume.
 */
internal class CoroutinesServer private constructor(
    val spec: ServerSpec,
    private val listener: ServerSocketChannel,
    private val threads: JoinableThreads,
    private val executor: ScheduledThreadPoolExecutor,
    private val poller: Poller,
) : RunningServer {

    private val counters = ServerCounters()
    private val address = listener.localAddress as InetSocketAddress
    private val acceptFailures = AcceptFailures(address)

    /** The connections open now, accepted or opened by the server. */
    val connections: MutableSet<CoroutinesSocket> = ConcurrentHashMap.newKeySet()

    /** The parent of every coroutine of this server. */
    val scope = CoroutineScope(
        SupervisorJob() + executor.asCoroutineDispatcher() + CoroutineName("asyncbench-$ID") +
            CoroutineExceptionHandler { _, failure -> LOG.log(System.Logger.Level.WARNING, "coroutine failed", failure) },
    )

    @Volatile
    private var closing = false
    private val closeLock = Any()
    private var closed = false

    /** Starts accepting; each connection runs [handler] in a coroutine of its own, and is closed after it. */
    fun serve(handler: suspend (CoroutinesSocket) -> Unit): CoroutinesServer {
        val readiness = poller.register(listener)
        scope.launch(CoroutineName("accept")) { acceptLoop(readiness, handler) }
        return this
    }

    private suspend fun acceptLoop(readiness: Readiness, handler: suspend (CoroutinesSocket) -> Unit) {
        while (true) {
            val channel = try {
                listener.accept()
            } catch (failure: Throwable) {
                if (failure is CancellationException || !listener.isOpen) return
                if (failure is VirtualMachineError && failure !is OutOfMemoryError) throw failure
                // EMFILE and friends are per attempt: report, back off, accept again.
                acceptFailures.failed(failure)
                delay(ACCEPT_BACKOFF)
                continue
            }
            if (channel == null) {
                readiness.awaitReadable()
                continue
            }
            val socket = try {
                spec.socketOptions().applyTo(channel)
                CoroutinesSocket(channel, poller.register(channel), counters)
            } catch (e: IOException) {
                channel.close()
                continue
            }
            socket.markOpened()
            connections += socket
            scope.launch { runConnection(socket, handler) }
        }
    }

    /** One connection's coroutine: the handler, then the close; an IO failure counts as an error. */
    private suspend fun runConnection(socket: CoroutinesSocket, handler: suspend (CoroutinesSocket) -> Unit) {
        try {
            handler(socket)
            socket.close()
        } catch (e: IOException) {
            socket.close(failed = !closing) // a reset, a broken pipe; after close() began, our own doing
        } finally {
            socket.close() // cancelled: close() is under way
            connections -= socket
        }
    }

    /** An outgoing socket with the spec's options (set before connecting), closed by [close] if still open. */
    suspend fun connect(address: SocketAddress): CoroutinesSocket {
        val channel = SocketChannel.open()
        val socket = try {
            spec.socketOptions().applyTo(channel)
            CoroutinesSocket(channel, poller.register(channel), counters)
        } catch (e: Throwable) {
            channel.close()
            throw e
        }
        connections += socket
        try {
            socket.connect(address)
        } catch (e: Throwable) {
            socket.close(failed = e is IOException && !closing)
            connections -= socket
            throw e
        }
        return socket
    }

    /** Closes an outgoing socket from [connect]. */
    fun release(socket: CoroutinesSocket, failed: Boolean) {
        socket.close(failed && !closing)
        connections -= socket
    }

    override fun address(): InetSocketAddress = address

    override fun counters(): ServerCounters = counters

    /**
     * Stops accepting and cancels every coroutine (a suspended read or write resumes with a
     * CancellationException, and its connection closes in its finally), waits until the scope has
     * completed, then stops the poller and the dispatcher's threads.
     */
    override fun close() {
        synchronized(closeLock) {
            if (closed) return
            closed = true
            closing = true
            try {
                listener.close()
            } catch (_: IOException) {
                // the poller's close below completes it in any case
            }
            val ended = scope.cancelAndAwait()
            connections.forEach { it.close() }
            poller.close()
            executor.shutdownNow()
            threads.terminate("io", executor::awaitTermination)
            check(ended) { "coroutines still running ${JoinableThreads.CLOSE_TIMEOUT_SECONDS} s after close()" }
        }
    }

    companion object {
        private val LOG = System.getLogger(CoroutinesServer::class.java.name)

        /**
         * The pause after a failed accept. Out of descriptors every accept fails at once; 100
         * tries a second cost nothing measurable and serve again within 10 ms of one coming back.
         */
        private val ACCEPT_BACKOFF = 10.milliseconds

        /** Binds [ServerSpec.bindAddress]; connections wait in the backlog until [serve]. */
        fun bind(spec: ServerSpec): CoroutinesServer {
            val threads = JoinableThreads(ID, "io")
            val executor = Executors.newScheduledThreadPool(spec.ioThreads(), threads) as ScheduledThreadPoolExecutor
            // Delays and timeouts are cancelled far more often than they fire: out of the queue at once.
            executor.removeOnCancelPolicy = true
            val poller = try {
                Poller.start(ID)
            } catch (e: Throwable) {
                executor.shutdownNow()
                throw e
            }
            val listener = ServerSocketChannel.open()
            try {
                spec.socketOptions().applyToListener(listener)
                listener.bind(spec.bindAddress(), spec.socketOptions().backlog())
                return CoroutinesServer(spec, listener, threads, executor, poller)
            } catch (e: Throwable) {
                listener.close()
                poller.close()
                executor.shutdownNow()
                threads.terminate("io", executor::awaitTermination)
                throw e
            }
        }
    }
}

/**
 * Cancels every coroutine of this scope and blocks the calling thread until all have completed
 * ([JoinableThreads.CLOSE_TIMEOUT_SECONDS] at most): `runBlocking { job.cancelAndJoin() }`, minus
 * runBlocking's own event loop on the caller's thread, which hands the delayed tasks it still holds
 * when it ends (a timeout's) to kotlinx's global DefaultExecutor. True once all have completed.
 */
internal fun CoroutineScope.cancelAndAwait(): Boolean {
    val completed = CountDownLatch(1)
    coroutineContext.job.invokeOnCompletion { completed.countDown() }
    cancel()
    return completed.await(JoinableThreads.CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
}
