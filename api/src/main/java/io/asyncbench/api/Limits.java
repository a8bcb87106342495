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
 * @param maxHeaderBytes      HTTP: request line plus headers larger than this get 431
 * @param maxBodyBytes        HTTP: a request body larger than this gets 413
 * @param requestDeadline     gateway: time allowed for all backend calls of one request (504 after)
 */
public record Limits(int readBufferSize, int writeHighWaterMark, int writeLowWaterMark,
                     Duration idleTimeout, int maxHeaderBytes, int maxBodyBytes,
                     Duration requestDeadline) {

    public static final Limits DEFAULTS = new Limits(
            16 * 1024, 64 * 1024, 32 * 1024,
            Duration.ofSeconds(30), 8 * 1024, 1024 * 1024, Duration.ofSeconds(1));

    public Limits {
        if (readBufferSize < 1 || writeLowWaterMark < 0 || writeHighWaterMark < writeLowWaterMark) {
            throw new IllegalArgumentException("need readBufferSize >= 1 and 0 <= low <= high water");
        }
        if (maxHeaderBytes < 64 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxHeaderBytes >= 64 and maxBodyBytes >= 0");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()
                || requestDeadline.isNegative() || requestDeadline.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * The most bytes a strategy may hold in user space for one connection (one direction, for the
     * proxy): one read buffer in hand plus a write queue filled up to the high water mark. This is
     * the bound the conformance suite checks against a peer that writes and never reads.
     */
    public int maxBufferedBytesPerConnection() {
        return readBufferSize + writeHighWaterMark;
    }

    public Limits withIdleTimeout(Duration timeout) {
        return new Limits(readBufferSize, writeHighWaterMark, writeLowWaterMark, timeout,
                maxHeaderBytes, maxBodyBytes, requestDeadline);
    }

    public Limits withRequestDeadline(Duration deadline) {
        return new Limits(readBufferSize, writeHighWaterMark, writeLowWaterMark, idleTimeout,
                maxHeaderBytes, maxBodyBytes, deadline);
    }
}
