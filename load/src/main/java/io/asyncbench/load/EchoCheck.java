package io.asyncbench.load;

import java.nio.ByteBuffer;

/**
 * What makes an echo reply right, said once for every echo client: the reply is the message, byte
 * for byte, in order. Each message carries its sequence number in its first bytes
 * ({@link #stamp}), so a reply that repeats an earlier message is caught as well as a corrupted one.
 * Checking allocates nothing: the load generator checks every reply with it.
 */
final class EchoCheck {

    private final byte[] message;
    private final ByteBuffer expected;

    EchoCheck(byte[] message) {
        this.message = message;
        this.expected = ByteBuffer.wrap(message);
    }

    /** Writes {@code sequence} into the first (up to eight) bytes of {@code message}. */
    static void stamp(byte[] message, long sequence) {
        for (int i = 0; i < Math.min(Long.BYTES, message.length); i++) {
            message[i] = (byte) (sequence >>> (8 * i));
        }
    }

    /**
     * Checks that {@code reply}'s remaining bytes are the message's from {@code offset} on, and
     * consumes them.
     *
     * @param sequence names the message in an error; negative for a message without a number
     * @throws LoadException naming the first wrong byte, or the bytes beyond the message's end
     */
    void check(ByteBuffer reply, int offset, long sequence) throws LoadException {
        int n = reply.remaining();
        expected.limit(offset + Math.min(n, message.length - offset)).position(offset);
        int at = reply.mismatch(expected);
        if (at >= 0) {
            if (at >= expected.remaining()) {
                throw new LoadException("the server sent " + (n - expected.remaining())
                        + " bytes more than the " + message.length + "-byte message it was sent");
            }
            throw new LoadException(String.format("wrong echo: byte %d of %d of %s is 0x%02x, expected 0x%02x",
                    offset + at, message.length, sequence < 0 ? "the message" : "message " + sequence,
                    reply.get(reply.position() + at) & 0xff, message[offset + at] & 0xff));
        }
        reply.position(reply.limit());
    }
}
