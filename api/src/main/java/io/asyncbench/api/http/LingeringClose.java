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
 *       {@link #DRAIN_TIME} (1 s), or at most {@link #DRAIN_BYTES} (4 MiB), whichever comes first;</li>
 *   <li>close.</li>
 * </ol>
 *
 * Why: closing a socket that still has unread input makes the kernel send a reset instead of a
 * FIN (RFC 9112, section 9.6; Apache's lingering close, nginx's {@code lingering_close}). The
 * reset fails the client's send if it is still sending, and can destroy the answer in its receive
 * buffer: a client refused with 413 while it sends a 2 MiB body is the common case, and curl, like
 * most clients that send the whole request before reading, then reports a failed send and never
 * shows the 413 (without the drain, futures lost it in 9 of 60 tries).
 *
 * <p>Why these bounds: a client that reads its answer stops within a round trip, microseconds on
 * loopback, milliseconds on a LAN, so one second is ample; nginx lingers up to 30 s, but here the
 * bound is also how long a refused client can keep a connection, so it is short. The byte bound
 * lets a client finish a refused body of up to four times {@code Limits.DEFAULTS.maxBodyBytes()}
 * (a few milliseconds of reading at loopback speed), and cuts off a client that keeps sending
 * after that: it is not reading its answer anyway. Bytes drained are counted as read.
 *
 * <p>Every strategy (and every reference server) follows this one rule with these same bounds, for
 * every answer that closes: a client still sending when the drain ends is cut off there (its next
 * segments meet a reset), so no client can keep a closing connection open past
 * {@code DRAIN_TIME}. The conformance suite's {@code ClosingConformanceTest} checks it for each:
 * the whole answer, then end of stream; a client that trickles on is cut off after about
 * {@code DRAIN_TIME}, one that floods after about {@code DRAIN_BYTES}.
 */
public final class LingeringClose {

    /** The longest a closing connection drains input after its answer and FIN. */
    public static final Duration DRAIN_TIME = Duration.ofSeconds(1);

    /** The most input a closing connection reads and discards after its answer and FIN. */
    public static final long DRAIN_BYTES = 4 << 20;

    private LingeringClose() {
    }
}
