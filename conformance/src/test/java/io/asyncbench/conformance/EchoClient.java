package io.asyncbench.conformance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking test client for the echo workload. Writing and reading run concurrently, because a
 * server with backpressure stops reading a client that does not read its replies: writing a whole
 * large message before reading any of it would deadlock against a correct server.
 */
final class EchoClient implements AutoCloseable {

    private final SocketChannel channel;

    private EchoClient(SocketChannel channel) {
        this.channel = channel;
    }

    static EchoClient connect(SocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        return new EchoClient(channel);
    }

    /** Connects with small, fixed socket buffers, so the kernel cannot hide a server's buffering. */
    static EchoClient connectWithBuffers(InetSocketAddress address, int bytes) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
        channel.connect(address);
        return new EchoClient(channel);
    }

    SocketChannel channel() {
        return channel;
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** Sends {@code payload} while reading the same number of bytes back; returns what came back. */
    byte[] roundTrip(byte[] payload) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeFully(payload),
                runnable -> Thread.ofVirtual().name("conformance-writer").start(runnable));
        byte[] received = readExactly(payload.length);
        writer.get(30, TimeUnit.SECONDS);
        return received;
    }

    /** Asserts that {@code roundTrip(payload)} returns {@code payload}, naming the first bad byte. */
    void assertEchoes(byte[] payload) throws Exception {
        byte[] received = roundTrip(payload);
        int mismatch = Arrays.mismatch(payload, received);
        if (mismatch >= 0) {
            throw new AssertionError("echo differs at byte " + mismatch + " of " + payload.length
                    + ": sent " + payload[mismatch] + ", received " + received[mismatch]);
        }
    }

    void writeFully(byte[] payload) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads exactly {@code length} bytes; fails if the stream ends first. */
    byte[] readExactly(int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new AssertionError("the server closed the connection after "
                        + buffer.position() + " of " + length + " bytes");
            }
        }
        return buffer.array();
    }

    /**
     * Reads until the server closes; returns the bytes read. A reset instead of an orderly close is
     * reported as an error, since the echo contract asks for an orderly close after a half-close.
     */
    byte[] readToEnd(int expectedAtMost) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(expectedAtMost + 1);
        while (channel.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                throw new AssertionError("the server sent more than the " + expectedAtMost
                        + " bytes it was given");
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /**
     * Sends {@code payload}, then half-closes, while reading until the server closes; returns what
     * came back. The half-close contract: every byte sent before it is echoed, then an orderly close.
     */
    byte[] sendHalfCloseAndReadToEnd(byte[] payload) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            writeFully(payload);
            try {
                shutdownOutput();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] received = readToEnd(payload.length);
        await(writer, 30);
        return received;
    }

    /** How a connection ended, seen from the client. */
    enum End { END_OF_STREAM, RESET, MORE_DATA, STILL_OPEN }

    /**
     * Waits at most {@code limit} for the server to end the connection, reading nothing but the
     * end: an orderly close (FIN), a reset (a close with unread data), more bytes, or nothing yet.
     */
    End endAfter(Duration limit) throws IOException {
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + limit.toNanos();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return End.STILL_OPEN;
                }
                selector.select(left);
                selector.selectedKeys().clear();
                int read;
                try {
                    read = channel.read(one);
                } catch (SocketException reset) {
                    return End.RESET;
                }
                if (read < 0) {
                    return End.END_OF_STREAM;
                }
                if (read > 0) {
                    return End.MORE_DATA;
                }
            }
        }
    }

    /** Closes with SO_LINGER 0, so the kernel sends RST instead of FIN: an abrupt disconnect. */
    void reset() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    /** Waits for a future; a hung server fails the test instead of hanging it. */
    static <T> T await(CompletableFuture<T> future, long seconds)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
