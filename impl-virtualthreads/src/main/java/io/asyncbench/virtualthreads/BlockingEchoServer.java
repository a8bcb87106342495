package io.asyncbench.virtualthreads;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Echo, the blocking way: read what is there, write all of it back, repeat until the peer is done.
 *
 * <p>There is no event loop, no callback and no write queue: the thread itself is the state. On a
 * virtual thread each blocking call parks the thread until the socket is ready (the JDK's poller
 * wakes it) and frees its carrier for other connections; on a platform thread the same call blocks
 * in the kernel. The code is identical.
 *
 * <p>Backpressure needs no code: the write loop does not return until the kernel has taken every
 * byte, so while a peer does not read its replies this thread does not read its requests either.
 * The one buffer below is all the server ever holds for the connection.
 */
final class BlockingEchoServer implements BlockingHandler {

    private final int readBufferSize;

    BlockingEchoServer(Limits limits) {
        this.readBufferSize = limits.readBufferSize();
    }

    @Override
    public void serve(SocketChannel channel, ServerCounters counters) throws IOException {
        // One buffer per connection, reused for every read: no per-read garbage. Direct, so the
        // kernel reads into it and writes from it without a copy through a temporary buffer.
        ByteBuffer buffer = ByteBuffer.allocateDirect(readBufferSize);
        int read;
        while ((read = channel.read(buffer)) != -1) {  // blocks until some bytes arrive, or EOF
            counters.bytesRead(read);
            buffer.flip();
            while (buffer.hasRemaining()) {            // blocks until the kernel takes them all
                counters.bytesWritten(channel.write(buffer));
            }
            buffer.clear();
        }
        // EOF (the peer half-closed): everything read has been written back, so we are done.
    }
}
