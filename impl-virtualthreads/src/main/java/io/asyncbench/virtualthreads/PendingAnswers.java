package io.asyncbench.virtualthreads;

import io.asyncbench.api.OutputBuffers;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection's answers that wait to be written: the answers to one read's worth of
 * (pipelined) requests are gathered and leave in one write, just before the thread blocks again.
 * The buffer is borrowed from the server's {@link OutputBuffers} for the batch only, so a
 * connection blocked in a read holds none.
 */
final class PendingAnswers {

    private final SocketChannel channel;
    private final ServerCounters counters;
    private final OutputBuffers pool;
    /** The batch being gathered; null while nothing waits. */
    private ByteBuffer batch;

    PendingAnswers(SocketChannel channel, ServerCounters counters, OutputBuffers pool) {
        this.channel = channel;
        this.counters = counters;
        this.pool = pool;
    }

    void add(HttpResponse response) throws IOException {
        response.encodeTo(room(response.encodedLength()));
    }

    void add(byte[] bytes) throws IOException {
        room(bytes.length).put(bytes);
    }

    /** Writes the batch, blocking until the kernel has taken all of it, and gives the buffer back. */
    void flush() throws IOException {
        if (batch == null) {
            return;
        }
        ByteBuffer written = batch;
        batch = null;
        try {
            writeFully(written.flip());
        } finally {
            pool.give(written);
        }
    }

    /**
     * The batch with {@code length} bytes of room: written out first if it lacks them. An answer
     * larger than the pool's buffers (a large /echo body) is a batch of its own, of its size.
     */
    private ByteBuffer room(int length) throws IOException {
        if (batch != null && length > batch.remaining()) {
            flush();
        }
        if (batch == null) {
            batch = pool.take(length);
        }
        return batch;
    }

    /** Blocks until the kernel has taken every byte: a client that does not read slows us down. */
    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            counters.bytesWritten(channel.write(bytes));
        }
    }
}
