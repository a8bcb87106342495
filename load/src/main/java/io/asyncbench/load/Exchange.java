package io.asyncbench.load;

import java.nio.ByteBuffer;

/**
 * The request/reply protocol of one connection: what a batch of requests is, and how to check
 * the bytes that come back. One instance per connection, used by one thread; implementations
 * allocate nothing per request.
 *
 * <p>A batch is what the client sends before it waits: one echo message, one HTTP request, or
 * {@code pipeline} HTTP requests written back to back (wrk's pipelining). The batch is complete
 * when every reply in it has been verified.
 */
interface Exchange {

    /**
     * The bytes of the next batch, from position to limit. The buffer is the exchange's own and
     * stays untouched until the batch is complete; the caller only moves its position.
     */
    ByteBuffer nextBatch();

    /** Requests in one batch: the operations a complete batch counts for. */
    int batchSize();

    /**
     * Checks the reply bytes in {@code in} (position to limit), consuming all of them.
     *
     * @return how many replies this call completed and verified
     * @throws LoadException if a byte differs from what the server must send, or the server sends
     *                       more than the batch asked for
     */
    int consume(ByteBuffer in) throws LoadException;

    /** True when every reply of the current batch has been verified. */
    boolean batchComplete();

    /** What the exchange is waiting for, for error messages: "byte 17 of 1024 of reply 3". */
    String progress();
}
