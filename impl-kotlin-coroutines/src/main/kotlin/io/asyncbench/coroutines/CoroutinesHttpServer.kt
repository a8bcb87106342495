package io.asyncbench.coroutines

import io.asyncbench.api.Limits
import io.asyncbench.api.OutputBuffers
import io.asyncbench.api.RunningServer
import io.asyncbench.api.ServerSpec
import io.asyncbench.api.http.Endpoint
import io.asyncbench.api.http.HttpException
import io.asyncbench.api.http.HttpRequest
import io.asyncbench.api.http.HttpRequestParser
import io.asyncbench.api.http.HttpResponse
import io.asyncbench.api.http.HttpResponses
import io.asyncbench.api.http.HttpStatus
import io.asyncbench.api.http.LingeringClose
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeoutOrNull
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.channels.InterruptedByTimeoutException
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.toKotlinDuration

/**
 * HTTP/1.1 as one coroutine per connection: read, parse, answer, read again, in a loop that reads
 * like the blocking one of the virtual threads; every `suspend` call is where asyncio would
 * `await`. Requests are answered in the order they arrived; the answers to one read's worth of
 * pipelined requests leave together, just before the coroutine suspends to read again.
 *
 * - `/delay` is `delay(ms)`: the coroutine suspends, nothing is held but its continuation and a
 *   task in the dispatcher's timer queue.
 * - `/fanout` is the gateway's [fanout], run inside the connection's coroutine.
 * - The idle timeout is [CoroutinesIdleTimeout]'s sweep; only a read continuing an unfinished
 *   request head is timed on its own (`withTimeoutOrNull`, to the head deadline), as the other
 *   styles time only that read: past the deadline, 408.
 * - What an idle connection holds: its suspended coroutine, its parser and its small read
 *   buffer. Answers are encoded into a buffer the server lends ([OutputBuffers]) per batch.
 */
internal class CoroutinesHttpServer(
    private val limits: Limits,
    private val idle: CoroutinesIdleTimeout,
    private val fanout: (suspend (HttpRequest) -> HttpResponse)?,
) {
    private val outputBuffers = OutputBuffers(limits.readBufferSize(), OUTPUT_BUFFERS_KEPT)
    private val idleTimeoutNanos = limits.idleTimeout().toNanos()
    private val headDeadlineNanos = limits.headDeadline().toNanos()

    /** One connection, start to finish. */
    suspend fun converse(socket: CoroutinesSocket) {
        val parser = HttpRequestParser(limits)
        var input = ByteBuffer.allocate(minOf(FIRST_READ_BYTES, limits.readBufferSize())).flip()
        val answers = Answers(socket, outputBuffers)
        var headStartedAt = 0L
        while (true) {
            val request = try {
                parser.parse(input)
            } catch (malformed: HttpException) {
                // The stream cannot be trusted any more: one clear answer, then close.
                refuse(socket, answers, malformed, input)
                return
            }
            if (request == null) {
                // Every byte is parsed and more are needed: send what is ready, then read.
                if (parser.takeContinueRequest()) answers.add(HttpResponses.CONTINUE)
                answers.flush()
                if (parser.takeHeadStarted()) headStartedAt = System.nanoTime()
                if (input.limit() == input.capacity() && input.capacity() < limits.readBufferSize()) {
                    input = ByteBuffer.allocate(minOf(2 * input.capacity(), limits.readBufferSize())) // it filled up: grow
                }
                input.clear()
                val read = if (parser.isReadingHead()) readMoreHead(socket, input, headStartedAt) else socket.readIdle(input, idle.clock, idle.deadlineFromNow())
                when (read) {
                    HEAD_OVERDUE -> {
                        refuse(socket, answers, HttpException(HttpStatus.REQUEST_TIMEOUT,
                            "request head not received within ${limits.headDeadline()}"), input)
                        return
                    }
                    CoroutinesSocket.TIMED_OUT -> throw InterruptedByTimeoutException() // idle: an error, no answer
                    -1 -> return // the client is done
                }
                input.flip()
                continue
            }
            val response = if (HttpResponses.needsWaiting(request)) {
                answers.flush() // earlier answers must not wait behind this one
                answerAfterWaiting(request)
            } else {
                HttpResponses.immediate(request)
            }
            answers.add(response)
            socket.counters.requestServed()
            if (response.close()) {
                closeAfterAnswer(socket, answers, input)
                return
            }
        }
    }

    /** `asyncio.sleep` or the gateway's gather: the coroutine suspends until the answer is ready. */
    private suspend fun answerAfterWaiting(request: HttpRequest): HttpResponse = when {
        request.endpoint() == Endpoint.DELAY -> {
            delay(request.delayMs().milliseconds)
            HttpResponses.delayed(request)
        }
        fanout != null -> fanout(request)
        else -> HttpResponses.error(request, HttpStatus.NOT_FOUND, null) // /fanout without backends
    }

    /**
     * Reads more of an unfinished request head, waiting no longer than until it is due, nor than
     * the idle timeout: the bytes read, -1 at end of stream, [HEAD_OVERDUE], or the idle timeout
     * as an exception.
     */
    private suspend fun readMoreHead(socket: CoroutinesSocket, into: ByteBuffer, headStartedAt: Long): Int {
        val left = headStartedAt + headDeadlineNanos - System.nanoTime()
        if (left <= 0) return HEAD_OVERDUE
        return withTimeoutOrNull(minOf(left, idleTimeoutNanos).nanoseconds) { socket.read(into) }
            ?: if (left <= idleTimeoutNanos) HEAD_OVERDUE else throw InterruptedByTimeoutException()
    }

    /** A request that cannot be served (malformed, or its head overdue): its status, then the closing rule. */
    private suspend fun refuse(socket: CoroutinesSocket, answers: Answers, failure: HttpException, scratch: ByteBuffer) {
        answers.add(HttpResponses.error(failure))
        socket.counters.requestServed()
        socket.counters.error()
        closeAfterAnswer(socket, answers, scratch)
    }

    /**
     * The closing rule ([LingeringClose]): send the answer and a FIN, then read and drop what the
     * client still sends until it closes too, for at most a second and 4 MiB. Closing with unread
     * input would send a reset, which can destroy the answer before the client reads it.
     */
    private suspend fun closeAfterAnswer(socket: CoroutinesSocket, answers: Answers, scratch: ByteBuffer) {
        answers.flush()
        socket.shutdownOutput()
        try {
            withTimeoutOrNull(LingeringClose.DRAIN_TIME.toKotlinDuration()) {
                var bytesLeft = LingeringClose.DRAIN_BYTES
                while (bytesLeft > 0) {
                    scratch.clear()
                    val read = socket.read(scratch)
                    if (read < 0) break // the client closed too
                    bytesLeft -= read
                }
            }
        } catch (_: IOException) {
            // a reset: the answer is out, whatever the client does now changes nothing
        }
    }

    /**
     * The answers waiting to be written, gathered in one buffer lent by the server for the batch
     * and written just before the coroutine suspends to read: an idle connection holds none.
     */
    private class Answers(private val socket: CoroutinesSocket, private val pool: OutputBuffers) {
        private var batch: ByteBuffer? = null

        suspend fun add(response: HttpResponse) = response.encodeTo(room(response.encodedLength()))

        suspend fun add(bytes: ByteArray) {
            room(bytes.size).put(bytes)
        }

        /** Writes the batch, suspending while the client does not read, and gives the buffer back. */
        suspend fun flush() {
            val written = batch ?: return
            batch = null
            try {
                socket.writeFully(written.flip())
            } finally {
                pool.give(written) // a non-blocking write is over when it returns: nothing writes from it later
            }
        }

        /** The batch with room for [length] bytes, written out first if it lacks them. */
        private suspend fun room(length: Int): ByteBuffer {
            batch?.let { if (length > it.remaining()) flush() }
            return batch ?: pool.take(length).also { batch = it }
        }
    }

    companion object {
        /** A connection's first read buffer: a request head of a typical client, 16 of wrk's pipelined. */
        private const val FIRST_READ_BYTES = 2048
        /** Output buffers a server keeps: more than its connections usually write at once. */
        private const val OUTPUT_BUFFERS_KEPT = 64
        private const val HEAD_OVERDUE = -3

        fun start(spec: ServerSpec): RunningServer = serve(CoroutinesServer.bind(spec), null)

        /** Serves the http endpoints on [server]; [fanout] answers /fanout (the gateway), or null for 404. */
        fun serve(server: CoroutinesServer, fanout: (suspend (HttpRequest) -> HttpResponse)?): CoroutinesServer {
            val idle = CoroutinesIdleTimeout(server.spec.limits().idleTimeout(), server.connections)
            idle.startIn(server.scope)
            val http = CoroutinesHttpServer(server.spec.limits(), idle, fanout)
            return server.serve(http::converse)
        }
    }
}
