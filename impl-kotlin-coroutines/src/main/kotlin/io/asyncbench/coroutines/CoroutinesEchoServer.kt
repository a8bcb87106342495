package io.asyncbench.coroutines

import io.asyncbench.api.RunningServer
import io.asyncbench.api.ServerSpec
import java.nio.ByteBuffer

/**
 * Echo as a coroutine: read what is there, write all of it back, until the peer is done. The
 * code of the blocking style, and no thread waits: each `suspend` call hands the thread back
 * while the socket is not ready.
 *
 * Backpressure needs no code: [CoroutinesSocket.writeFully] does not return until the kernel took
 * every byte, so while the peer does not read its replies, nothing more is read from it. The one
 * buffer below is all the server holds for the connection.
 */
internal object CoroutinesEchoServer {

    fun start(spec: ServerSpec): RunningServer {
        val bufferSize = spec.limits().readBufferSize()
        return CoroutinesServer.bind(spec).serve { socket -> echo(socket, bufferSize) }
    }

    private suspend fun echo(socket: CoroutinesSocket, bufferSize: Int) {
        // One buffer per connection, reused: direct, so the kernel reads into it and writes from it.
        val buffer = ByteBuffer.allocateDirect(bufferSize)
        while (socket.read(buffer) >= 0) {
            buffer.flip()
            socket.writeFully(buffer)
            buffer.clear()
        }
        // EOF: everything read has been written back.
    }
}
