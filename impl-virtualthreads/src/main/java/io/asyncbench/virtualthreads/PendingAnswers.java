package io.asyncbench.virtualthreads;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.http.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One connection's answers that wait to be written: the answers to one read's worth of
 * (pipelined) requests are gathered and leave in one write, just before the thread blocks again.
 * The buffer is borrowed from the server's {@link DirectBufferPool} for the batch only, so a
 * connection blocked in a read holds none.
 */
final class PendingAnswers {

    private final SocketChannel channel;
    private final ServerCounters counters;
    private final DirectBufferPool pool;
    /** The batch being gathered; null while nothing waits. */
    private ByteBuffer batch;

    PendingAnswers(SocketChannel channel, ServerCounters counters, DirectBufferPool pool) {
        this.channel = channel;
        this.counters = counters;
        this.pool = pool;
    }

    void add(HttpResponse response) throws IOException {
        int length = response.encodedLength();
        ByteBuffer into = room(length);
        if (into == null) {
            // A large /echo body: written on its own rather than growing the batch's buffer.
            writeFully(ByteBuffer.wrap(response.encode()));
        } else {
            response.encodeTo(into);
        }
    }

    void add(byte[] bytes) throws IOException {
        ByteBuffer into = room(bytes.length);
        if (into == null) {
            writeFully(ByteBuffer.wrap(bytes));
        } else {
            into.put(bytes);
        }
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

    /** The batch with {@code length} bytes of room (written out first if it lacks them), or null if no buffer could hold them. */
    private ByteBuffer room(int length) throws IOException {
        if (batch != null && length > batch.remaining()) {
            flush();
        }
        if (batch == null) {
            batch = pool.take();
        }
        return length <= batch.capacity() ? batch : null;
    }

    /** Blocks until the kernel has taken every byte: a client that does not read slows us down. */
    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            counters.bytesWritten(channel.write(bytes));
        }
    }
}
