package io.asyncbench.coroutines

import io.asyncbench.api.IdleSweep
import io.asyncbench.api.ServerCounters
import java.io.IOException
import java.net.SocketAddress
import java.nio.ByteBuffer
import java.nio.channels.SocketChannel
import java.util.concurrent.atomic.AtomicBoolean

/**
 * A socket as suspend functions, the way ktor-network's raw sockets are: a non-blocking
 * [SocketChannel] is tried first, and only when it has nothing to give (or no room to take) does
 * the coroutine suspend until the [Poller] reports it ready. The code that uses it reads like the
 * blocking code of the virtual threads, and no thread waits while it waits.
 *
 * Counted in [counters] at the IO call sites; closed and counted exactly once, by [close].
 */
internal class CoroutinesSocket(
    private val channel: SocketChannel,
    private val readiness: Readiness,
    val counters: ServerCounters,
) {
    private val closed = AtomicBoolean()

    /** Whether it was counted as opened (an outgoing one only once connected). */
    @Volatile
    private var counted = false

    /**
     * When the read waiting for the peer's next message is overdue, in the clock of the server's
     * [CoroutinesIdleTimeout], which looks at it now and then; [IdleSweep.NOT_WAITING] otherwise.
     */
    @Volatile
    var idleDeadline: Long = IdleSweep.NOT_WAITING
        private set

    /** Reads what is there, suspending until something is: the count, or -1 at the peer's end of stream. */
    suspend fun read(into: ByteBuffer): Int {
        while (true) {
            val count = channel.read(into)
            if (count != 0 || !into.hasRemaining()) {
                if (count > 0) counters.bytesRead(count.toLong())
                return count
            }
            readiness.awaitReadable()
        }
    }

    /**
     * [read], for a message the peer may never send: gives up with [TIMED_OUT] once
     * [idle]'s clock reaches [deadline]. No timer: the deadline is a field the idle sweep checks
     * now and then, waking this read when it is overdue.
     */
    suspend fun readIdle(into: ByteBuffer, idle: IdleSweep, deadline: Long): Int {
        idleDeadline = deadline
        try {
            while (true) {
                val count = channel.read(into)
                if (count != 0 || !into.hasRemaining()) {
                    if (count > 0) counters.bytesRead(count.toLong())
                    return count
                }
                if (idle.now() >= deadline) return TIMED_OUT
                readiness.awaitReadable()
            }
        } finally {
            idleDeadline = IdleSweep.NOT_WAITING
        }
    }

    /** Resumes a read waiting in [readIdle], which then sees whether it is overdue. */
    fun wakeIdleRead() = readiness.wakeReader()

    /** Writes every byte, suspending while the peer does not read: that is the backpressure. */
    suspend fun writeFully(from: ByteBuffer) {
        while (from.hasRemaining()) {
            val count = channel.write(from)
            if (count > 0) counters.bytesWritten(count.toLong()) else readiness.awaitWritable()
        }
    }

    /** Connects an outgoing socket, suspending until the connection is established; counted as opened then. */
    suspend fun connect(address: SocketAddress) {
        if (!channel.connect(address)) {
            while (true) {
                readiness.awaitConnectable()
                if (channel.finishConnect()) break
            }
        }
        markOpened()
    }

    /** An accepted socket is open from the start. */
    fun markOpened() {
        counted = true
        counters.connectionOpened()
    }

    /** FIN after what was written; reading goes on. */
    fun shutdownOutput() {
        channel.shutdownOutput()
    }

    /** Closes once; [failed] counts an error. Safe from any thread, also while a coroutine waits on it. */
    fun close(failed: Boolean = false) {
        if (!closed.compareAndSet(false, true)) return
        try {
            channel.close()
        } catch (_: IOException) {
            // the descriptor is released either way
        }
        readiness.closed()
        if (counted) {
            if (failed) counters.error()
            counters.connectionClosed()
        } else if (failed) {
            counters.error() // a connect that failed: never opened, but an error
        }
    }

    companion object {
        /** What [readIdle] returns when the deadline passed first. */
        const val TIMED_OUT = -2
    }
}
