package io.asyncbench.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The echo protocol's flow control, watched from inside: a client that stops reading makes the
 * transport call pauseWriting (and the echo pause reading) above the high water mark; once the
 * client reads again, resumeWriting comes below the low water mark and every byte arrives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectorFlowControlTest {

    private static final int READ_BUFFER = 4 * 1024;
    private static final int HIGH = 32 * 1024;
    private static final int LOW = 8 * 1024;
    private static final int KERNEL_BUFFER = 16 * 1024;

    /** The echo protocol, plus a log of what flow control did and what the transport held. */
    static final class WatchedEcho implements Protocol {
        final SelectorEchoServer echo = new SelectorEchoServer();
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile Transport transport;
        volatile int bufferedAtPause = -1;
        volatile int maxBuffered;
        volatile boolean readingWhilePaused;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            echo.connectionMade(t);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            echo.dataReceived(data);
            maxBuffered = Math.max(maxBuffered, transport.getWriteBufferSize());
        }

        @Override
        public void pauseWriting() {
            bufferedAtPause = transport.getWriteBufferSize();
            echo.pauseWriting();
            readingWhilePaused = transport.isReading();
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            assertThat(transport.getWriteBufferSize()).isLessThanOrEqualTo(LOW);
            echo.resumeWriting();
            events.add("resume");
        }

        @Override
        public boolean eofReceived() {
            return echo.eofReceived();
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add(exc == null ? "lost" : "lost: " + exc);
            echo.connectionLost(exc);
        }
    }

    @Test
    void echoPausesReadingAboveHighWaterAndResumesBelowLowWater() throws Exception {
        Limits limits = new Limits(READ_BUFFER, HIGH, LOW, Duration.ofSeconds(30), 8192, 1 << 20,
                Duration.ofSeconds(1), Duration.ofSeconds(10), 64, 512);
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO).withIoThreads(1).withLimits(limits)
                .withSocketOptions(new SocketOptions(true, true, 128, KERNEL_BUFFER, KERNEL_BUFFER));
        CompletableFuture<WatchedEcho> made = new CompletableFuture<>();
        byte[] payload = new byte[4 << 20];
        new Random(42).nextBytes(payload);

        try (SelectorServer server = SelectorServer.start(SelectorStrategy.ID, spec, () -> {
                 WatchedEcho protocol = new WatchedEcho();
                 made.complete(protocol);
                 return protocol;
             });
             SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, KERNEL_BUFFER);
            client.connect(server.address());
            // Write on another thread, never read: the writer blocks once every buffer is full.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeAll(client, payload),
                    runnable -> Thread.ofVirtual().start(runnable));
            WatchedEcho echo = made.get(10, TimeUnit.SECONDS);

            poll("the transport paused the echo", () -> echo.events.contains("pause"));
            assertThat(echo.bufferedAtPause).isGreaterThan(HIGH);
            assertThat(echo.readingWhilePaused).as("the echo paused reading").isFalse();
            assertThat(writer).as("backpressure reached the client").isNotDone();
            assertThat(echo.maxBuffered).as("held in user space")
                    .isLessThanOrEqualTo(limits.maxBufferedBytesPerConnection());

            // Read everything back: the buffer drains, the echo resumes, bytes arrive in order.
            ByteBuffer received = ByteBuffer.allocate(payload.length);
            while (received.hasRemaining()) {
                assertThat(client.read(received)).isNotNegative();
            }
            writer.get(10, TimeUnit.SECONDS);
            assertThat(received.array()).isEqualTo(payload);
            assertThat(echo.events).contains("resume");
            assertThat(echo.events.indexOf("pause")).isLessThan(echo.events.indexOf("resume"));
            assertThat(echo.maxBuffered).isLessThanOrEqualTo(limits.maxBufferedBytesPerConnection());

            client.shutdownOutput();
            assertThat(client.read(ByteBuffer.allocate(1))).as("the server closes after EOF").isEqualTo(-1);
            poll("connectionLost", () -> echo.events.contains("lost"));
            assertThat(server.counters().errors()).isZero();
            assertThat(server.counters().bytesWritten()).isEqualTo(payload.length);
        }
    }

    private static void writeAll(SocketChannel channel, byte[] payload) {
        try {
            ByteBuffer data = ByteBuffer.wrap(payload);
            while (data.hasRemaining()) {
                channel.write(data);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void poll(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
