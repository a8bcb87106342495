package io.asyncbench.virtualthreads;

import java.nio.ByteBuffer;

/**
 * A connection's read buffer, sized by what arrives. It starts small, since a thread blocked in a
 * read must hold the buffer it reads into and most connections wait for small requests; it
 * doubles after a read that filled it, up to a limit, as Netty's adaptive allocator does. A heap
 * array: while the thread waits it holds only this, as the JDK reads through a temporary direct
 * buffer of the carrier's that it takes and gives back around each attempt.
 */
final class GrowingReadBuffer {

    private final int maxSize;
    private byte[] bytes;
    private ByteBuffer view;
    private boolean lastReadFilled;

    GrowingReadBuffer(int initialSize, int maxSize) {
        if (initialSize < 1 || maxSize < initialSize) {
            throw new IllegalArgumentException("need 1 <= initialSize <= maxSize");
        }
        this.maxSize = maxSize;
        this.bytes = new byte[initialSize];
        this.view = ByteBuffer.wrap(bytes).limit(0);
    }

    /** The array to read into, grown first if the last read filled it; its contents are free to overwrite. */
    byte[] toReadInto() {
        if (lastReadFilled && bytes.length < maxSize) {
            bytes = new byte[Math.min(maxSize, bytes.length * 2)];
            view = ByteBuffer.wrap(bytes);
        }
        lastReadFilled = false;
        return bytes;
    }

    /** {@link #toReadInto()} as a cleared buffer over the whole array. */
    ByteBuffer clearedToReadInto() {
        toReadInto();
        return view.clear();
    }

    /** The {@code count} bytes just read into the array, ready to parse. */
    ByteBuffer received(int count) {
        lastReadFilled = count == bytes.length;
        return view.limit(count).position(0);
    }

    /** The received bytes not yet parsed, or none before the first read. */
    ByteBuffer unparsed() {
        return view;
    }

    int capacity() {
        return bytes.length;
    }
}
