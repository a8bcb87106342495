package io.asyncbench.api;

import java.time.Duration;

/**
 * Bounds every strategy honours, so bad or slow peers cannot pin unbounded resources and so that
 * every strategy buffers the same amount.
 *
 * @param readBufferSize      bytes read from a socket at a time
 * @param writeHighWaterMark  when a connection has this many bytes queued for writing, the server
 *                            stops reading from the peer that produces them (asyncio's
 *                            {@code pause_reading}); Netty's WriteBufferWaterMark high
 * @param writeLowWaterMark   reading resumes when the queue drains below this
 * @param idleTimeout         a connection that sends nothing for this long (and has nothing in
 *                            flight) is closed; HTTP-style workloads only
 * @param maxHeaderBytes      HTTP: request line plus headers larger than this get 431; the blank
 *                            lines a client may send before a request line count toward it
 * @param maxBodyBytes        HTTP: a request body larger than this gets 413
 * @param requestDeadline     gateway: time allowed for all backend calls of one request (504 after)
 * @param headDeadline        HTTP: time allowed from the first byte of a request (a blank line
 *                            before it included) to the end of its head; past it the server
 *                            answers 408 and closes. A slowloris client sending a byte now and
 *                            then resets the idle timeout, never this. Checked lazily, by the same
 *                            per-connection timer as the idle timeout: it costs nothing per read
 * @param maxFanOut           gateway: the largest {@code k} of {@code /fanout}; more gets 400
 * @param maxBackendConnections gateway: the most connections it holds open to each backend at
 *                            once (split evenly among its IO loops where each loop keeps its
 *                            own pool). A call finding none free waits for one, in order, until
 *                            its request's deadline: then the request gets 504
 */
public record Limits(int readBufferSize, int writeHighWaterMark, int writeLowWaterMark,
                     Duration idleTimeout, int maxHeaderBytes, int maxBodyBytes,
                     Duration requestDeadline, Duration headDeadline, int maxFanOut,
                     int maxBackendConnections) {

    public static final Limits DEFAULTS = new Limits(
            16 * 1024, 64 * 1024, 32 * 1024,
            Duration.ofSeconds(30), 8 * 1024, 1024 * 1024, Duration.ofSeconds(1),
            Duration.ofSeconds(10), 64, 512);

    public Limits {
        if (readBufferSize < 1 || writeLowWaterMark < 0 || writeHighWaterMark < writeLowWaterMark) {
            throw new IllegalArgumentException("need readBufferSize >= 1 and 0 <= low <= high water");
        }
        if (maxHeaderBytes < 64 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxHeaderBytes >= 64 and maxBodyBytes >= 0");
        }
        if (isNotPositive(idleTimeout) || isNotPositive(requestDeadline) || isNotPositive(headDeadline)) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxFanOut < 1 || maxBackendConnections < 1) {
            throw new IllegalArgumentException("maxFanOut >= 1 and maxBackendConnections >= 1");
        }
    }

    private static boolean isNotPositive(Duration duration) {
        return duration.isNegative() || duration.isZero();
    }

    /**
     * The most bytes a strategy may hold in user space for one connection (one direction, for the
     * proxy): one read buffer in hand plus a write queue filled up to the high water mark. This is
     * the bound the conformance suite checks against a peer that writes and never reads.
     */
    public int maxBufferedBytesPerConnection() {
        return readBufferSize + writeHighWaterMark;
    }

    /**
     * A gateway's backend connection cap for one of {@code pools} pools that share it (one per IO
     * loop): an even share, at least one, so that all pools together stay within
     * {@link #maxBackendConnections()} whenever it is at least {@code pools}.
     */
    public int backendConnectionsPerPool(int pools) {
        return Math.max(1, maxBackendConnections / Math.max(1, pools));
    }

    public Limits withIdleTimeout(Duration timeout) {
        return new Limits(readBufferSize, writeHighWaterMark, writeLowWaterMark, timeout,
                maxHeaderBytes, maxBodyBytes, requestDeadline, headDeadline, maxFanOut, maxBackendConnections);
    }

    public Limits withRequestDeadline(Duration deadline) {
        return new Limits(readBufferSize, writeHighWaterMark, writeLowWaterMark, idleTimeout,
                maxHeaderBytes, maxBodyBytes, deadline, headDeadline, maxFanOut, maxBackendConnections);
    }

    public Limits withHeadDeadline(Duration deadline) {
        return new Limits(readBufferSize, writeHighWaterMark, writeLowWaterMark, idleTimeout,
                maxHeaderBytes, maxBodyBytes, requestDeadline, deadline, maxFanOut, maxBackendConnections);
    }

    public Limits withFanOutCaps(int maxK, int connectionsPerBackend) {
        return new Limits(readBufferSize, writeHighWaterMark, writeLowWaterMark, idleTimeout,
                maxHeaderBytes, maxBodyBytes, requestDeadline, headDeadline, maxK, connectionsPerBackend);
    }
}
