package io.asyncbench.load;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Echo: one message of {@code size} random bytes per batch; the reply must be the same bytes, in
 * order, checked as they arrive ({@link EchoCheck}: each message numbered, so a repeated one is
 * caught as well as a corrupted one).
 */
final class EchoExchange implements Exchange {

    private final byte[] message;
    private final ByteBuffer out;
    private final EchoCheck check;
    private long sequence;
    private int received;

    EchoExchange(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("message size must be at least 1: " + size);
        }
        message = new byte[size];
        new SplittableRandom(seed).nextBytes(message);
        out = ByteBuffer.wrap(message);
        check = new EchoCheck(message);
        received = size; // no batch in flight yet
    }

    @Override
    public ByteBuffer nextBatch() {
        EchoCheck.stamp(message, ++sequence);
        received = 0;
        return out.clear();
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public int consume(ByteBuffer in) throws LoadException {
        int n = in.remaining();
        check.check(in, received, sequence);
        received += n;
        return received == message.length ? 1 : 0;
    }

    @Override
    public boolean batchComplete() {
        return received == message.length;
    }

    @Override
    public String progress() {
        return received + " of " + message.length + " bytes of echo message " + sequence;
    }
}
