package io.asyncbench.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the conformance suite (EchoConformanceTest) does not look at: the echo handler chain
 * re-issuing the rest of a partial write, and the group shut down when binding fails. The io
 * threads' names are checked in CallbacksWorkloadsTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallbacksEchoServerTest {

    private static final String PREFIX = StrategyThreads.prefix(CallbacksStrategy.ID);
    private final Strategy strategy = new CallbacksStrategy();

    @Test
    void echoesLargeMessagesThroughPartialWrites() throws Exception {
        // A send buffer smaller than the read buffer forces partial writes: each must be followed
        // by the rest, in order.
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 128, 0, 4096));
        try (RunningServer server = strategy.start(spec);
             SocketChannel client = connect(server.address())) {
            byte[] payload = random(1 << 20, 2);
            assertEchoes(client, payload);
            poll(() -> server.counters().bytesWritten() == payload.length);
            assertThat(server.counters().bytesRead()).isEqualTo(payload.length);
        }
    }

    @Test
    void aPortInUseFailsStartWithoutLeakingThreads() throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO))) {
            ServerSpec sameAddress = ServerSpec.loopback(Workload.ECHO)
                    .withBindAddress(server.address())
                    .withSocketOptions(new SocketOptions(true, false, 16, 0, 0));
            List<String> before = liveThreads();
            assertThatThrownBy(() -> strategy.start(sameAddress)).isInstanceOf(IOException.class);
            assertThat(liveThreads()).isEqualTo(before);
        }
    }

    private static List<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith(PREFIX)).sorted().toList();
    }

    private static SocketChannel connect(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return channel;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static void writeFully(SocketChannel channel, byte[] payload) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes and reads concurrently: the server stops reading a client that does not read. */
    private static void assertEchoes(SocketChannel channel, byte[] payload) throws Exception {
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeFully(channel, payload),
                runnable -> Thread.ofVirtual().start(runnable));
        ByteBuffer received = ByteBuffer.allocate(payload.length);
        while (received.hasRemaining()) {
            assertThat(channel.read(received)).as("server closed early").isNotNegative();
        }
        writer.get(30, TimeUnit.SECONDS);
        assertThat(received.array()).isEqualTo(payload);
    }

    private static void poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met in time").isNegative();
            Thread.sleep(5);
        }
    }
}
