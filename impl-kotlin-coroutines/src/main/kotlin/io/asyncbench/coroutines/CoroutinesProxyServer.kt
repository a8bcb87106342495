package io.asyncbench.coroutines

import io.asyncbench.api.RunningServer
import io.asyncbench.api.ServerSpec
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.net.InetSocketAddress
import java.nio.ByteBuffer

/**
 * The TCP relay: per client, a connection to the backend, then two coroutines, each copying one
 * direction with read-then-write-fully, as echo does. `coroutineScope` ties them together: it
 * returns once both directions have ended, and when one fails (a reset) it cancels the other,
 * which resumes from its suspended read or write with a CancellationException.
 *
 * Backpressure is the shape of the loop: a direction suspended writing to a slow reader does not
 * read from the fast writer, so each direction holds one buffer and the kernel's buffers fill up
 * to the writer. A half-close crosses over: EOF from one side is a FIN to the other.
 */
internal object CoroutinesProxyServer {

    fun start(spec: ServerSpec): RunningServer {
        val server = CoroutinesServer.bind(spec)
        val backend = spec.backends().first()
        val bufferSize = spec.limits().readBufferSize()
        return server.serve { client -> relay(server, client, backend, bufferSize) }
    }

    private suspend fun relay(server: CoroutinesServer, client: CoroutinesSocket, address: InetSocketAddress, bufferSize: Int) {
        val backend = server.connect(address) // refused: throws, and the client is closed as failed
        var failed = true
        try {
            coroutineScope {
                launch { copy(backend, client, bufferSize) }
                copy(client, backend, bufferSize)
            }
            failed = false
        } finally {
            server.release(backend, failed)
        }
    }

    /** Copies [from] to [to] until EOF, then half-closes [to]. */
    private suspend fun copy(from: CoroutinesSocket, to: CoroutinesSocket, bufferSize: Int) {
        val buffer = ByteBuffer.allocateDirect(bufferSize)
        while (from.read(buffer) >= 0) {
            buffer.flip()
            to.writeFully(buffer)
            buffer.clear()
        }
        to.shutdownOutput()
    }
}
