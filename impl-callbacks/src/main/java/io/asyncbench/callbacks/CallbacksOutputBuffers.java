package io.asyncbench.callbacks;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A server's output buffers, lent to a connection for one batch of answers and given back once
 * the batch is written: an idle keep-alive connection holds none, and the server holds about as
 * many as its connections have writes in flight (with a few IO threads, a handful).
 *
 * <p>Direct, so the kernel writes from them without the JDK's copy through its temporary direct
 * buffer. Last in, first out, so the buffer lent is the one most likely still in the CPU's cache.
 * At most {@code maxKept} are kept; one given back beyond that is left to the garbage collector.
 * A buffer whose write failed is never given back: NIO.2 may still be writing from it.
 */
final class CallbacksOutputBuffers {

    private final int bufferSize;
    private final int maxKept;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    CallbacksOutputBuffers(int bufferSize, int maxKept) {
        if (bufferSize < 1 || maxKept < 0) {
            throw new IllegalArgumentException("need bufferSize >= 1 and maxKept >= 0");
        }
        this.bufferSize = bufferSize;
        this.maxKept = maxKept;
    }

    /**
     * A cleared buffer with room for {@code bytes}: a kept one, a new one, or for a batch larger
     * than the pool's buffers (a large /echo body) a heap buffer of its exact size, not kept.
     */
    ByteBuffer take(int bytes) {
        if (bytes > bufferSize) {
            return ByteBuffer.allocate(bytes);
        }
        synchronized (free) {
            ByteBuffer kept = free.pollFirst();
            if (kept != null) {
                return kept;
            }
        }
        return ByteBuffer.allocateDirect(bufferSize);
    }

    /** Takes back a buffer from {@link #take} once its write completed; the caller drops it. */
    void give(ByteBuffer buffer) {
        if (!buffer.isDirect() || buffer.capacity() != bufferSize) {
            return; // an exact-size one for a large batch
        }
        buffer.clear();
        synchronized (free) {
            if (free.size() < maxKept) {
                free.addFirst(buffer);
            }
        }
    }

    /** Buffers kept now, for tests. */
    int kept() {
        synchronized (free) {
            return free.size();
        }
    }
}
