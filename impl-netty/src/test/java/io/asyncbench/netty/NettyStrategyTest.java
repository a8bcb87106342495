package io.asyncbench.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.ServerWorkload;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What is particular to the Netty strategies; the behaviour every strategy shares is the
 * conformance suite's job. Each test runs on both transports, epoll skipped with its reason.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyStrategyTest {

    static Stream<NettyStrategy> strategies() {
        return Stream.of(new NettyNioStrategy(), new NettyEpollStrategy());
    }

    private static void assumeAvailable(Strategy strategy) {
        Availability availability = strategy.availability();
        assumeTrue(availability.available(), () -> strategy.id() + ": " + availability.reason());
    }

    @Test
    void bothStrategiesAreFoundByServiceLoader() {
        assertThat(Strategies.ids(Strategies.all(getClass().getClassLoader())))
                .contains("netty-nio", "netty-epoll");
    }

    @Test
    void nioIsAvailableEverywhereAndEpollSaysWhyNot() {
        assertThat(new NettyNioStrategy().availability().available()).isTrue();
        Availability epoll = new NettyEpollStrategy().availability();
        boolean linuxX86 = System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64");
        assertThat(epoll.available() || !epoll.reason().isBlank()).isTrue();
        if (linuxX86) {
            assertThat(epoll.available()).as("epoll on Linux x86_64: %s", epoll).isTrue();
        }
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void playsEveryWorkload(NettyStrategy strategy) {
        assertThat(strategy.serverWorkloads()).containsExactlyInAnyOrder(ServerWorkload.values());
        assertThat(Workload.values()).allMatch(strategy::plays);
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void runsAcceptorAndConnectionsOnTheIoBudget(NettyStrategy strategy) throws Exception {
        assumeAvailable(strategy);
        String prefix = StrategyThreads.prefix(strategy.id());
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO).withIoThreads(1))) {
            List<Client> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Client client = Client.connect(server.address());
                    clients.add(client);
                    client.assertEchoes(randomBytes(10_000, i));
                }
                assertThat(threadsNamed(prefix)).containsExactly(prefix + "io-1");
            } finally {
                for (Client client : clients) {
                    client.close();
                }
            }
        }
        assertThat(threadsNamed(prefix)).isEmpty();
    }

    /**
     * The connection's counting promise must count partial writes exactly: a client that stops reading
     * stalls the server mid-buffer, and once it drains, written equals read to the byte.
     */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void countsPartialWritesExactly(NettyStrategy strategy) throws Exception {
        assumeAvailable(strategy);
        int kernelBuffer = 16 * 1024;
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 128, kernelBuffer, kernelBuffer));
        byte[] payload = randomBytes(3 << 20, 42);
        try (RunningServer server = strategy.start(spec);
             Client client = Client.connect(server.address(), kernelBuffer)) {
            ServerCounters counters = server.counters();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> client.writeFully(payload));
            // Not reading yet: the server must stop at its water mark, holding at most the bound.
            poll("the server stalls", () -> counters.bytesRead() > 0
                    && counters.bytesRead() - counters.bytesWritten()
                    >= spec.limits().writeHighWaterMark() / 2);
            assertThat(counters.bytesRead() - counters.bytesWritten())
                    .isLessThanOrEqualTo(spec.limits().maxBufferedBytesPerConnection());

            byte[] received = client.readExactly(payload.length);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(Arrays.mismatch(payload, received)).isEqualTo(-1);
            poll("every byte is counted as written", () -> counters.bytesWritten() == payload.length);
            assertThat(counters.bytesRead()).isEqualTo(payload.length);
        }
    }

    /** A write somebody waits on (the http workload's close-after-response) is counted too. */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void countsWritesWithARealPromiseAndCompletesIt(NettyStrategy strategy) throws Exception {
        assumeAvailable(strategy);
        AtomicInteger completed = new AtomicInteger();
        Consumer<ChannelPipeline> echoAndWait = pipeline -> pipeline.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ChannelFuture written = ctx.writeAndFlush(msg);
                written.addListener(future -> {
                    if (future.isSuccess()) {
                        completed.incrementAndGet();
                    }
                });
            }
        });
        try (RunningServer server = NettyServer.start(strategy.id(), transportOf(strategy),
                ServerSpec.loopback(Workload.ECHO), echoAndWait);
             Client client = Client.connect(server.address())) {
            byte[] payload = randomBytes(1 << 20, 7);
            client.assertEchoes(payload);
            poll("every byte is counted as written", () -> server.counters().bytesWritten() == payload.length);
            assertThat(completed.get()).isPositive();
        }
    }

    /** No output on the happy path, and none for a peer reset either (only the error count). */
    @ParameterizedTest(name = "[{0}]")
    @MethodSource("strategies")
    void logsNothingAtInfoOrAbove(NettyStrategy strategy) throws Exception {
        assumeAvailable(strategy);
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.INFO);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO))) {
            try (Client client = Client.connect(server.address())) {
                client.assertEchoes(randomBytes(200_000, 1));
            }
            Client victim = Client.connect(server.address());
            victim.writeFully(randomBytes(64 * 1024, 2));
            victim.reset();
            poll("the reset is counted", () -> server.counters().errors() == 1);
            poll("both connections are closed", () -> server.counters().activeConnections() == 0);
        } finally {
            root.removeHandler(capture);
        }
        synchronized (capture) {
            assertThat(records).extracting(r -> r.getLoggerName() + ": " + r.getMessage()).isEmpty();
        }
    }

    private static NettyTransport transportOf(NettyStrategy strategy) {
        return strategy instanceof NettyEpollStrategy ? NettyTransport.EPOLL : NettyTransport.NIO;
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName).filter(name -> name.startsWith(prefix)).sorted().toList();
    }

    private static void poll(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** A blocking client; writes run beside reads, since the server stops reading a non-reader. */
    private record Client(SocketChannel channel) implements AutoCloseable {

        static Client connect(InetSocketAddress address) throws IOException {
            return new Client(SocketChannel.open(address));
        }

        static Client connect(InetSocketAddress address, int socketBuffers) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBuffers);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBuffers);
            channel.connect(address);
            return new Client(channel);
        }

        void assertEchoes(byte[] payload) throws Exception {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeFully(payload));
            byte[] received = readExactly(payload.length);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(Arrays.mismatch(payload, received)).as("first differing byte").isEqualTo(-1);
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

        byte[] readExactly(int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new AssertionError("closed after " + buffer.position() + " of " + length);
                }
            }
            return buffer.array();
        }

        void reset() throws IOException {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.close();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
