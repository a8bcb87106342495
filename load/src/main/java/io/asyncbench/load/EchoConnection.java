package io.asyncbench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One blocking echo connection whose every reply is checked byte for byte ({@link EchoCheck}, as
 * the load generator's {@link EchoExchange} checks them): the demo's client
 * ({@link VerifyingEchoClient}) runs many, the conformance suite probes a server's edges with one
 * (half-close, reset, small socket buffers, how a connection ends).
 *
 * <p>A message larger than the kernel's socket buffers take whole is written by a second virtual
 * thread while this one reads: a server with backpressure stops reading a client that does not
 * read its replies, so writing it all before reading would deadlock against a correct server.
 * Every read waits at most the reply timeout; a silent server is a {@link SocketTimeoutException}.
 */
public final class EchoConnection implements AutoCloseable {

    /** Messages up to this size are written before the reply is read. */
    public static final int INLINE_WRITE_LIMIT = 64 * 1024;

    /** How a connection ended, seen from the client. */
    public enum End { END_OF_STREAM, RESET, MORE_DATA, STILL_OPEN }

    private final SocketChannel channel;
    private final InputStream in;
    private final int timeoutMillis;

    private EchoConnection(SocketChannel channel, Duration replyTimeout) throws IOException {
        this.channel = channel;
        this.timeoutMillis = Math.toIntExact(Math.max(1, replyTimeout.toMillis()));
        // The socket adaptor's stream honours SO_TIMEOUT; a blocking channel read would not.
        channel.socket().setSoTimeout(timeoutMillis);
        this.in = channel.socket().getInputStream();
    }

    /** Connects with TCP_NODELAY, as the load generator does. */
    public static EchoConnection connect(SocketAddress address, Duration replyTimeout) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(address, Math.toIntExact(Math.max(1, replyTimeout.toMillis())));
            return new EchoConnection(channel, replyTimeout);
        } catch (IOException | RuntimeException failed) {
            channel.close();
            throw failed;
        }
    }

    /** Connects with small, fixed socket buffers, so the kernel cannot hide a server's buffering. */
    public static EchoConnection connectWithBuffers(InetSocketAddress address, int bytes, Duration replyTimeout)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, bytes);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, bytes);
            channel.socket().connect(address, Math.toIntExact(Math.max(1, replyTimeout.toMillis())));
            return new EchoConnection(channel, replyTimeout);
        } catch (IOException | RuntimeException failed) {
            channel.close();
            throw failed;
        }
    }

    /** {@code size} bytes from a seeded generator: the same message for the same seed. */
    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    public SocketChannel channel() {
        return channel;
    }

    /**
     * Sends {@code message} and checks that exactly it comes back.
     *
     * @throws LoadException naming the first wrong byte, or a short reply
     */
    public void echo(byte[] message) throws IOException, LoadException, InterruptedException {
        echo(message, -1);
    }

    /** {@link #echo(byte[])} of message number {@code sequence} (see {@link EchoCheck#stamp}). */
    void echo(byte[] message, long sequence) throws IOException, LoadException, InterruptedException {
        new EchoCheck(message).check(ByteBuffer.wrap(roundTrip(message)), 0, sequence);
    }

    /**
     * Sends {@code payload} while reading the same number of bytes back; returns what came back.
     *
     * @throws LoadException if the server closes the connection first
     */
    public byte[] roundTrip(byte[] payload) throws IOException, LoadException, InterruptedException {
        CompletableFuture<Void> writer = null;
        if (payload.length <= INLINE_WRITE_LIMIT) {
            writeFully(payload);
        } else {
            writer = CompletableFuture.runAsync(() -> writeFully(payload),
                    task -> Thread.ofVirtual().name("asyncbench-echo-writer").start(task));
        }
        byte[] received = readExactly(payload.length);
        if (writer != null) {
            await(writer); // done by now: the server cannot echo bytes it has not received
        }
        return received;
    }

    public void writeFully(byte[] payload) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads exactly {@code length} bytes.
     *
     * @throws LoadException if the stream ends first
     */
    public byte[] readExactly(int length) throws IOException, LoadException {
        byte[] bytes = new byte[length];
        int read = in.readNBytes(bytes, 0, length);
        if (read < length) {
            throw new LoadException("short reply: the server closed the connection after " + read
                    + " of " + length + " bytes");
        }
        return bytes;
    }

    /**
     * Reads until the server closes; returns the bytes read. A reset instead of an orderly close is
     * an exception, since the echo contract asks for an orderly close after a half-close.
     *
     * @throws LoadException if the server sends more than {@code expectedAtMost} bytes
     */
    public byte[] readToEnd(int expectedAtMost) throws IOException, LoadException {
        byte[] bytes = new byte[expectedAtMost + 1];
        int read = in.readNBytes(bytes, 0, bytes.length);
        if (read > expectedAtMost) {
            throw new LoadException("the server sent more than the " + expectedAtMost + " bytes it was given");
        }
        return Arrays.copyOf(bytes, read);
    }

    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /**
     * Sends {@code payload}, then half-closes, while reading until the server closes; returns what
     * came back. The half-close contract: every byte sent before it is echoed, then an orderly close.
     */
    public byte[] sendHalfCloseAndReadToEnd(byte[] payload) throws IOException, LoadException, InterruptedException {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            writeFully(payload);
            try {
                shutdownOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> Thread.ofVirtual().name("asyncbench-echo-writer").start(task));
        byte[] received = readToEnd(payload.length);
        await(writer);
        return received;
    }

    /**
     * Waits at most {@code limit} for the server to end the connection, reading nothing but the
     * end: an orderly close (FIN), a reset (a close with unread data), more bytes, or nothing yet.
     */
    public End endAfter(Duration limit) throws IOException {
        channel.socket().setSoTimeout(Math.toIntExact(Math.max(1, limit.toMillis())));
        try {
            return in.read() < 0 ? End.END_OF_STREAM : End.MORE_DATA;
        } catch (SocketTimeoutException silent) {
            return End.STILL_OPEN;
        } catch (SocketException reset) {
            return End.RESET;
        } finally {
            if (channel.isOpen()) {
                channel.socket().setSoTimeout(timeoutMillis);
            }
        }
    }

    /** Closes with SO_LINGER 0, so the kernel sends RST instead of FIN: an abrupt disconnect. */
    public void reset() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    /** Waits for a writer at most the reply timeout; its failure is this connection's. */
    private void await(CompletableFuture<Void> writer) throws IOException, InterruptedException {
        try {
            writer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            throw cause instanceof UncheckedIOException io ? io.getCause() : new IOException("write failed", cause);
        } catch (TimeoutException stuck) {
            throw new SocketTimeoutException("the server read nothing for " + timeoutMillis + " ms");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
