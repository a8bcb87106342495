package io.asyncbench.virtualthreads;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct buffers lent to connections while they have answers to write. A connection takes one
 * when its first answer of a batch is ready and gives it back once the batch is written, before
 * it blocks in the next read: so an idle keep-alive connection holds no output buffer, and the
 * server holds about as many as connections write at once (on one carrier, a handful).
 *
 * <p>Direct, so the kernel writes from it without the JDK's copy through a temporary buffer. Last
 * in, first out, so the buffer taken is the one most likely still in the CPU's cache. At most
 * {@code maxKept} are kept; a buffer given back beyond that is left to the garbage collector,
 * which frees its memory. A {@link ReentrantLock}, not {@code synchronized}, which on JDK 21 to
 * 23 pins a virtual thread to its carrier.
 */
final class DirectBufferPool {

    private final int bufferSize;
    private final int maxKept;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();

    DirectBufferPool(int bufferSize, int maxKept) {
        if (bufferSize < 1 || maxKept < 0) {
            throw new IllegalArgumentException("need bufferSize >= 1 and maxKept >= 0");
        }
        this.bufferSize = bufferSize;
        this.maxKept = maxKept;
    }

    /** A cleared buffer of {@code bufferSize} bytes: a kept one, or a new one. */
    ByteBuffer take() {
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

    /** Takes back a buffer from {@link #take()}; the caller must not touch it again. */
    void give(ByteBuffer buffer) {
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
    int kept() {
        lock.lock();
        try {
            return free.size();
        } finally {
            lock.unlock();
        }
    }
}
