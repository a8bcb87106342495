package io.asyncbench.futures;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the conformance suite (EchoConformanceTest) does not look at: this module's own channel
 * group threads. (Partial writes and a start on a port in use are checked there, for every
 * strategy.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FuturesEchoServerTest {

    private static final String PREFIX = StrategyThreads.prefix(FuturesStrategy.ID);
    private final Strategy strategy = new FuturesStrategy();

    @Test
    void runsExactlyIoThreadsNamedThreads() throws Exception {
        assertThat(liveThreads()).as("none before start").isEmpty();
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO).withIoThreads(3));
             SocketChannel client = connect(server.address())) {
            assertEchoes(client, random(1000, 1));
            assertThat(liveThreads()).hasSize(3).allMatch(name -> name.startsWith(PREFIX + "io-"));
        }
        assertThat(liveThreads()).isEmpty();
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
}
