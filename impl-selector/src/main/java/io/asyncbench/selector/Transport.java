package io.asyncbench.selector;

import java.nio.ByteBuffer;

/**
 * A connection as its {@link Protocol} sees it, asyncio's {@code asyncio.Transport}. Every method
 * must be called on the transport's {@link #loop()} thread.
 *
 * <h2>Flow control</h2>
 * Writing never blocks: {@link #write} sends what the kernel accepts and queues the rest. When the
 * queue grows above the high water mark the transport calls {@link Protocol#pauseWriting()}; when
 * it drains to the low water mark, {@link Protocol#resumeWriting()}. A protocol that relays a peer
 * answers by {@link #pauseReading()} / {@link #resumeReading()}, which bounds what one connection
 * can hold in memory to the read buffer plus the high water mark.
 */
public interface Transport {

    /** The loop that owns this connection and calls its protocol. */
    SelectorEventLoop loop();

    /**
     * Writes {@code data} from its position to its limit, and always consumes all of it (the
     * position ends at the limit): it tries the socket first, and only the bytes the kernel did not
     * accept are copied into the write buffer. The caller may therefore reuse {@code data} at once.
     * Ignored once the connection is lost.
     *
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /** Half-closes the sending side once the write buffer is flushed (TCP FIN). */
    void writeEof();

    /**
     * Closes gracefully: stops reading, flushes the write buffer, then closes the socket and calls
     * {@link Protocol#connectionLost} with {@code null}. Idempotent.
     */
    void close();

    /** Closes at once, dropping the write buffer; {@link Protocol#connectionLost} follows. */
    void abort();

    /** True once {@link #close()} or {@link #abort()} was called or the connection was lost. */
    boolean isClosing();

    /** Stops calling {@link Protocol#dataReceived} until {@link #resumeReading()}. Idempotent. */
    void pauseReading();

    /** Undoes {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /** True while the transport reads from the socket (not paused, not closing). */
    boolean isReading();

    /** Bytes queued for writing that the kernel has not accepted yet. */
    int getWriteBufferSize();

    /**
     * Sets the water marks ({@code 0 <= low <= high}) that trigger {@link Protocol#pauseWriting()}
     * and {@link Protocol#resumeWriting()}; the loop's {@code Limits} give the defaults.
     */
    void setWriteBufferLimits(int high, int low);
}
