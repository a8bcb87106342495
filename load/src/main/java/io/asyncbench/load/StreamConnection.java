package io.asyncbench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;

/**
 * A byte stream through a proxy to an echo backend and back: the client keeps up to
 * {@code window} bytes in flight and checks every byte that returns against what it sent. The
 * stream is a fixed random pattern of a prime length, so a byte that comes back shifted, repeated
 * or dropped differs from the pattern at its offset.
 */
final class StreamConnection extends ClientConnection {

    /** 65,521 is prime: no power-of-two buffer boundary lines up with the pattern's period. */
    static final int PATTERN_LENGTH = 65_521;
    static final byte[] PATTERN = new byte[PATTERN_LENGTH];

    static {
        new SplittableRandom(0x9e3779b97f4a7c15L).nextBytes(PATTERN);
    }

    private final int window;
    private final ByteBuffer out = ByteBuffer.wrap(PATTERN);
    private final ByteBuffer expected = ByteBuffer.wrap(PATTERN);
    private long sent;
    private long received;

    StreamConnection(ClientLoop loop, int index, SocketChannel channel, int window) {
        super(loop, index, channel);
        this.window = window;
    }

    /** Sends until the window is full or the socket takes no more. */
    void fill() throws IOException {
        lastActivity = loop.now;
        while (sent - received < window) {
            int offset = (int) (sent % PATTERN_LENGTH);
            int n = (int) Math.min(PATTERN_LENGTH - offset, window - (sent - received));
            out.limit(offset + n).position(offset);
            int written = channel.write(out);
            sent += written;
            if (written < n) {
                interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
        interest(SelectionKey.OP_READ);
    }

    @Override
    void onWritable() throws IOException {
        fill();
    }

    @Override
    void onReadable(ByteBuffer buffer) throws IOException, LoadException {
        for (int reads = 0; reads < 4; reads++) {
            int n = read(buffer);
            if (n == 0) {
                break;
            }
            if (received + n > sent) {
                throw new LoadException("connection " + index + ": the stream returned "
                        + (received + n - sent) + " bytes more than were sent");
            }
            while (buffer.hasRemaining()) {
                int offset = (int) (received % PATTERN_LENGTH);
                int chunk = Math.min(buffer.remaining(), PATTERN_LENGTH - offset);
                int limit = buffer.limit();
                buffer.limit(buffer.position() + chunk);
                expected.limit(offset + chunk).position(offset);
                int at = buffer.mismatch(expected);
                if (at >= 0) {
                    throw new LoadException(String.format("connection %d: stream byte %d is 0x%02x,"
                            + " expected 0x%02x", index, received + at,
                            buffer.get(buffer.position() + at) & 0xff, PATTERN[offset + at] & 0xff));
                }
                buffer.position(buffer.position() + chunk).limit(limit);
                long before = received / Traffic.Proxy.OPERATION_BYTES;
                received += chunk;
                long operations = received / Traffic.Proxy.OPERATION_BYTES - before;
                if (operations > 0) {
                    loop.completed(this, (int) operations);
                }
            }
            if (n < buffer.capacity()) {
                break;
            }
        }
        fill();
    }

    @Override
    boolean awaitingServer() {
        return sent > received;
    }

    @Override
    String progress() {
        return (sent - received) + " of " + sent + " bytes sent to come back";
    }
}
