package io.asyncbench.api.http;

import java.time.Duration;

/**
 * The closing rule: how every strategy ends a connection after an answer that closes it (an
 * error status, {@code Connection: close}, HTTP/1.0), in stages, so the answer is never lost.
 *
 * <ol>
 *   <li>send the answer;</li>
 *   <li>shut down output (FIN: the client reads the answer, then end of stream);</li>
 *   <li>read and discard what the client still sends, until it closes too, or for at most
 *       {@link #DRAIN_TIME}, or at most {@link #DRAIN_BYTES}, whichever comes first;</li>
 *   <li>close.</li>
 * </ol>
 *
 * Why: closing a socket that still has unread input makes the kernel send a reset instead of a
 * FIN, and a reset that reaches the client before it has read the answer destroys the answer in
 * the client's receive buffer (RFC 9112, section 9.6; Apache calls this a lingering close, nginx
 * {@code lingering_close}). A client refused with 413 while it is still sending its 2 MiB body is
 * the common case: without the drain, futures lost the 413 in 9 of 60 tries.
 *
 * <p>Why these bounds: a client that reads its answer closes within a round trip, microseconds on
 * loopback and milliseconds on a LAN, so one second is ample for it; nginx lingers up to 30 s,
 * but here the bound is also how long a hostile client can keep a refused connection, so it is
 * kept short. A client that keeps sending is cut off after one maximum body's worth (1 MiB,
 * {@code Limits.DEFAULTS.maxBodyBytes()}): at loopback speed that is a millisecond of work, and the
 * answer has long been read by any client that reads at all. Bytes drained are counted as read.
 */
public final class LingeringClose {

    /** The longest a closing connection drains input after its answer and FIN. */
    public static final Duration DRAIN_TIME = Duration.ofSeconds(1);

    /** The most input a closing connection reads and discards after its answer and FIN. */
    public static final long DRAIN_BYTES = 1 << 20;

    private LingeringClose() {
    }
}
