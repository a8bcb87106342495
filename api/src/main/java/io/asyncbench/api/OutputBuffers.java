package io.asyncbench.api;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server's output buffers, lent to a connection for one batch of answers and given back once
 * the batch is written: an idle keep-alive connection holds none, and the server holds about as
 * many as its connections have writes in flight (with a few IO threads, a handful). Every style
 * that writes from a buffer of its own uses this one, so none holds memory the others do not.
 *
 * <p>Direct, so the kernel writes from them without the JDK's copy through its temporary direct
 * buffer. Last in, first out, so the buffer lent is the one most likely still in the CPU's cache.
 * At most {@code maxKept} are kept; one given back beyond that is left to the garbage collector.
 * A batch larger than the pool's buffers (a large /echo body) gets a heap buffer of its exact size,
 * never kept. A {@link ReentrantLock}, not {@code synchronized}, which on JDK 21 to 23 pins a
 * virtual thread to its carrier.
 *
 * <p>A buffer whose write failed must not be given back where the write may still be under way
 * (NIO.2 may still be writing from it): drop it.
 */
public final class OutputBuffers {

    private final int bufferSize;
    private final int maxKept;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    public OutputBuffers(int bufferSize, int maxKept) {
        if (bufferSize < 1 || maxKept < 0) {
            throw new IllegalArgumentException("need bufferSize >= 1 and maxKept >= 0");
        }
        this.bufferSize = bufferSize;
        this.maxKept = maxKept;
    }

    /** A cleared buffer with room for {@code bytes}: a kept one, a new one, or an exact-size heap one. */
    public ByteBuffer take(int bytes) {
        if (bytes > bufferSize) {
            return ByteBuffer.allocate(bytes);
        }
        lock.lock();
        try {
            ByteBuffer kept = free.pollFirst();
            if (kept != null) {
                return kept;
            }
        } finally {
            lock.unlock();
        }
        return ByteBuffer.allocateDirect(bufferSize);
    }

    /** Takes back a buffer from {@link #take} once its write completed; the caller drops it. */
    public void give(ByteBuffer buffer) {
        if (!buffer.isDirect() || buffer.capacity() != bufferSize) {
            return; // an exact-size one for a large batch
        }
        buffer.clear();
        lock.lock();
        try {
            if (free.size() < maxKept) {
                free.addFirst(buffer);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Buffers kept now, for tests. */
    public int kept() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }
}
