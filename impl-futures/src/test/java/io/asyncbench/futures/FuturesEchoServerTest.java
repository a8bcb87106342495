package io.asyncbench.futures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategies;
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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FuturesEchoServerTest {

    private static final String PREFIX = StrategyThreads.prefix(FuturesStrategy.ID);
    private final Strategy strategy = new FuturesStrategy();

    @Test
    void isFoundByServiceLoaderAndStartsNoThreadUntilStarted() {
        assertThat(Strategies.ids(Strategies.all())).contains(FuturesStrategy.ID);
        assertThat(liveThreads()).isEmpty();
    }

    @Test
    void runsExactlyIoThreadsNamedThreads() throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO).withIoThreads(3));
             SocketChannel client = connect(server.address())) {
            assertEchoes(client, random(1000, 1));
            assertThat(liveThreads()).hasSize(3).allMatch(name -> name.startsWith(PREFIX + "io-"));
        }
        assertThat(liveThreads()).isEmpty();
    }

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
    void servesManyConnectionsAtOnceOnTwoThreads() throws Exception {
        int connections = 200;
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO).withIoThreads(2));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                long seed = i;
                results.add(clients.submit(() -> {
                    try (SocketChannel client = connect(server.address())) {
                        for (int round = 0; round < 5; round++) {
                            assertEchoes(client, random(10_000, seed * 10 + round));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
            ServerCounters counters = server.counters();
            poll(() -> counters.connectionsClosed() == connections);
            assertThat(counters.connectionsOpened()).isEqualTo(connections);
            assertThat(counters.bytesRead()).isEqualTo(connections * 5 * 10_000L);
            assertThat(counters.errors()).isZero();
        }
    }

    @Test
    void finishesWritingBackAfterHalfCloseThenCloses() throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO));
             SocketChannel client = connect(server.address())) {
            byte[] payload = random(300_000, 3);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                writeFully(client, payload);
                try {
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ByteBuffer received = ByteBuffer.allocate(payload.length + 1);
            while (client.read(received) >= 0) {
                assertThat(received.hasRemaining()).as("no more than was sent").isTrue();
            }
            writer.get(30, TimeUnit.SECONDS);
            assertThat(received.flip()).isEqualTo(ByteBuffer.wrap(payload));
            poll(() -> server.counters().activeConnections() == 0);
            assertThat(server.counters().errors()).isZero();
        }
    }

    @Test
    void countsAResetAsAnErrorAndKeepsServing() throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO))) {
            ServerCounters counters = server.counters();
            SocketChannel victim = connect(server.address());
            assertEchoes(victim, random(100, 4));
            victim.setOption(StandardSocketOptions.SO_LINGER, 0);
            victim.close(); // RST: the server's pending read fails with "connection reset"
            poll(() -> counters.errors() == 1 && counters.activeConnections() == 0);
            try (SocketChannel other = connect(server.address())) {
                assertEchoes(other, random(100_000, 5));
            }
            assertThat(counters.errors()).isEqualTo(1);
        }
    }

    @Test
    void closeClosesConnectionsStopsThreadsFreesPortAndIsIdempotent() throws Exception {
        RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO));
        InetSocketAddress address = server.address();
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SocketChannel client = connect(address);
            assertEchoes(client, random(10, i));
            clients.add(client);
        }
        server.close();
        server.close();

        assertThat(liveThreads()).isEmpty();
        ServerCounters counters = server.counters();
        assertThat(counters.connectionsClosed()).isEqualTo(10);
        assertThat(counters.errors()).as("closing is not an error").isZero();
        for (SocketChannel client : clients) {
            assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            client.close();
        }
        ServerSpec sameAddress = ServerSpec.loopback(Workload.ECHO).withBindAddress(address);
        try (RunningServer again = strategy.start(sameAddress);
             SocketChannel client = connect(again.address())) {
            assertEchoes(client, random(10, 99));
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
