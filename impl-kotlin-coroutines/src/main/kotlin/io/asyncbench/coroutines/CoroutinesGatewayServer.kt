package io.asyncbench.coroutines

import io.asyncbench.api.RunningServer
import io.asyncbench.api.ServerSpec
import io.asyncbench.api.http.HttpException
import io.asyncbench.api.http.HttpRequest
import io.asyncbench.api.http.HttpResponse
import io.asyncbench.api.http.HttpResponseParser
import io.asyncbench.api.http.HttpResponses
import io.asyncbench.api.http.HttpStatus
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withTimeoutOrNull
import java.io.EOFException
import java.io.IOException
import java.net.InetSocketAddress
import java.nio.ByteBuffer
import java.util.concurrent.ConcurrentLinkedDeque
import kotlin.time.toKotlinDuration

/**
 * The gateway: the http server whose `/fanout?k=K&ms=M` calls K backends at once and gathers
 * them, asyncio's `wait_for(gather(*calls), deadline)` in its Kotlin spelling:
 *
 * ```
 * withTimeoutOrNull(deadline) { coroutineScope { calls.map { async { call(it) } }.awaitAll() } }
 * ```
 *
 * Structured concurrency does the bookkeeping the callback styles write by hand: the first call
 * that fails makes `coroutineScope` cancel the others and rethrow (502); the deadline cancels
 * every call still out (504); either way `coroutineScope` returns only once every call has
 * ended, so a cancelled call's connection is closed, never pooled, before the client hears.
 *
 * Each backend has a pool of idle keep-alive connections, most recently used first, and a fair
 * [Semaphore] of `Limits.maxBackendConnections` permits: a call holds one while it uses a
 * connection, so calls beyond the cap wait in turn, until the deadline cancels them.
 */
internal class CoroutinesGatewayServer private constructor(private val server: CoroutinesServer) {

    private val spec = server.spec
    private val pools = spec.backends().map { BackendPool(it, spec.limits().maxBackendConnections()) }
    private val deadline = spec.limits().requestDeadline().toKotlinDuration()

    suspend fun fanout(request: HttpRequest): HttpResponse {
        val wire = HttpResponses.backendRequest(request.delayMs())
        val expected = HttpResponses.delayBody(request.delayMs())
        return try {
            withTimeoutOrNull(deadline) {
                coroutineScope {
                    List(request.fanout()) { i -> async { call(pools[i % pools.size], wire, expected) } }.awaitAll()
                }
                HttpResponses.fanout(request)
            } ?: HttpResponses.error(request, HttpStatus.GATEWAY_TIMEOUT, null)
        } catch (failed: IOException) {
            HttpResponses.error(request, HttpStatus.BAD_GATEWAY, null)
        }
    }

    /** One backend call: a pooled connection or a new one, the request written, the answer read and checked. */
    private suspend fun call(pool: BackendPool, wire: ByteArray, expected: ByteArray) {
        val response = pool.permits.withPermit { exchange(pool, wire) }
        if (response.status() != 200 || !response.body().contentEquals(expected)) {
            throw IOException("backend ${pool.address} answered ${response.status()}")
        }
    }

    /** On a connection of [pool]'s, put back once the answer is whole; closed if anything goes wrong. */
    private suspend fun exchange(pool: BackendPool, wire: ByteArray): HttpResponseParser.Response {
        pool.idle.pollFirst()?.let { reused ->
            try {
                return finish(pool, reused, reused.exchange(wire))
            } catch (e: IOException) {
                // An idle connection the backend closed meanwhile (its idle timeout) fails before any
                // answer: send the request again on a new one. GET is idempotent.
                server.release(reused.socket, failed = reused.receivedAnything)
                if (reused.receivedAnything) throw e
                // Cancelled meanwhile (the deadline closes the connection under the read, which then
                // fails as IO, not as a cancellation): no new connection, no second request. Without
                // this check a loopback connect and write that never suspend would send it anyway.
                currentCoroutineContext().ensureActive()
            } catch (e: Throwable) {
                server.release(reused.socket, failed = e !is CancellationException)
                throw e
            }
        }
        val fresh = Backend(server.connect(pool.address))
        try {
            return finish(pool, fresh, fresh.exchange(wire))
        } catch (e: Throwable) {
            // Cancelled (the deadline, a sibling's failure, close()) is not the backend's error: the 504 says it.
            server.release(fresh.socket, failed = e !is CancellationException)
            throw e
        }
    }

    private fun finish(pool: BackendPool, backend: Backend, response: HttpResponseParser.Response): HttpResponseParser.Response {
        if (response.close() || backend.hasMore()) {
            server.release(backend.socket, failed = false)
        } else {
            pool.idle.offerFirst(backend)
        }
        return response
    }

    private class BackendPool(val address: InetSocketAddress, maxConnections: Int) {
        val permits = Semaphore(maxConnections)
        val idle = ConcurrentLinkedDeque<Backend>()
    }

    /** A keep-alive connection to a backend, used by one call at a time. */
    private class Backend(val socket: CoroutinesSocket) {
        private val parser = HttpResponseParser(MAX_RESPONSE_HEAD)
        private val input = ByteBuffer.allocate(READ_BUFFER).flip()
        var receivedAnything = false
            private set

        /** Writes one request, then suspends until its whole answer has arrived. */
        suspend fun exchange(request: ByteArray): HttpResponseParser.Response {
            receivedAnything = false
            socket.writeFully(ByteBuffer.wrap(request))
            while (true) {
                val response = try {
                    parser.parse(input)
                } catch (malformed: HttpException) {
                    throw IOException(malformed.message)
                }
                if (response == null) {
                    input.compact()
                    val read = socket.read(input)
                    input.flip()
                    if (read < 0) throw EOFException("backend closed the connection")
                    receivedAnything = true
                } else if (response.status() != HttpStatus.CONTINUE.code()) {
                    return response
                }
            }
        }

        /** Bytes beyond the answer: nobody asked for them, the connection cannot be reused. */
        fun hasMore() = input.hasRemaining()
    }

    companion object {
        /** Room for a backend's response head: a status line and a handful of headers. */
        private const val MAX_RESPONSE_HEAD = 4 * 1024
        private const val READ_BUFFER = 4 * 1024

        fun start(spec: ServerSpec): RunningServer {
            val server = CoroutinesServer.bind(spec)
            return CoroutinesHttpServer.serve(server, CoroutinesGatewayServer(server)::fanout)
        }
    }
}
