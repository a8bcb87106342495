package io.asyncbench.selector;

import java.nio.ByteBuffer;

/**
 * The application side of a connection, asyncio's {@code asyncio.Protocol}: the loop calls it, it
 * never blocks, and it talks back through the {@link Transport} it receives first.
 *
 * <h2>Callback order</h2>
 * As asyncio documents it, for one connection:
 * <pre>
 *   start -&gt; connectionMade [-&gt; dataReceived*] [-&gt; eofReceived?] -&gt; connectionLost -&gt; end
 * </pre>
 * {@link #pauseWriting()} and {@link #resumeWriting()} may come any number of times between
 * {@code connectionMade} and {@code connectionLost}, always alternating, pause first.
 * Every call happens on the transport's loop thread, so a protocol needs no synchronization.
 */
public interface Protocol {

    /** The connection is up; keep {@code transport}, it is how this protocol writes and closes. */
    void connectionMade(Transport transport);

    /**
     * Bytes arrived, between {@code data.position()} and {@code data.limit()}.
     *
     * <p><b>{@code data} is only valid during this call</b>: it is the loop's one read buffer,
     * refilled for the next connection as soon as this returns. Consume it now: parse it, or hand
     * it to {@link Transport#write(ByteBuffer)} (which writes it or copies what the kernel refused);
     * copy whatever must outlive the call.
     */
    void dataReceived(ByteBuffer data);

    /**
     * The peer half-closed its side. Return {@code true} to keep the transport half-open (this
     * protocol will write more, then close it); {@code false} closes the transport, which still
     * flushes what is queued for writing first.
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is gone and its socket closed. {@code exc} is {@code null} after a regular
     * close, otherwise the error that ended it (a peer reset, an exception of this protocol).
     */
    void connectionLost(Throwable exc);

    /**
     * The transport's write buffer rose above its high water mark: stop producing data (a protocol
     * relaying from a peer pauses reading that peer).
     */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low water mark: producing may resume. */
    default void resumeWriting() {
    }
}
