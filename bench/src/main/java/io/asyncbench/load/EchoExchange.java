package io.asyncbench.load;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Echo: one message of {@code size} random bytes per batch; the reply must be the same bytes, in
 * order. Each message carries its sequence number in its first bytes, so a reply that repeats an
 * earlier message is caught as well as a corrupted one.
 */
final class EchoExchange implements Exchange {

    private final byte[] message;
    private final ByteBuffer out;
    private final ByteBuffer expected;
    private long sequence;
    private int received;

    EchoExchange(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("message size must be at least 1: " + size);
        }
        message = new byte[size];
        new SplittableRandom(seed).nextBytes(message);
        out = ByteBuffer.wrap(message);
        expected = ByteBuffer.wrap(message);
        received = size; // no batch in flight yet
    }

    @Override
    public ByteBuffer nextBatch() {
        sequence++;
        for (int i = 0; i < Math.min(Long.BYTES, message.length); i++) {
            message[i] = (byte) (sequence >>> (8 * i));
        }
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
        if (n > message.length - received) {
            throw new LoadException("the server sent " + (n - (message.length - received))
                    + " bytes more than the " + message.length + "-byte message it was sent");
        }
        int limit = in.limit();
        expected.limit(received + n).position(received);
        int at = in.mismatch(expected);
        if (at >= 0) {
            throw new LoadException(String.format("wrong echo: byte %d of %d of message %d is 0x%02x,"
                    + " expected 0x%02x", received + at, message.length, sequence,
                    in.get(in.position() + at) & 0xff, message[received + at] & 0xff));
        }
        in.position(limit);
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
