package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import io.asyncbench.load.EchoConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo workload, checked the same way for every strategy on the class path (one test body,
 * every implementation: Netty's {@code SocketEchoTest} over {@code SocketTestPermutation}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EchoConformanceTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    static Stream<Arguments> strategiesAndSizes() {
        List<Size> sizes = List.of(Size.of(1), Size.of(1024), Size.of(64 * 1024), Size.of(1 << 20));
        return StrategyUnderTest.all().flatMap(s -> sizes.stream().map(size -> Arguments.of(s, size)));
    }

    @ParameterizedTest(name = "[{0}] echo {1}")
    @MethodSource("strategiesAndSizes")
    void echoesEveryByteInOrder(StrategyUnderTest strategy, Size size) throws Exception {
        try (RunningServer server = strategy.start(Workload.ECHO);
             EchoConnection client = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
            // Three messages on one connection: the server must keep going after the first.
            for (int message = 0; message < 3; message++) {
                client.echo(EchoConnection.randomBytes(size.bytes(), 31L * size.bytes() + message));
            }
            if (strategy.counts()) {
                assertThat(server.counters().bytesRead()).isEqualTo(3L * size.bytes());
                // The client can hold the echo before the server's write call has returned and counted.
                Poll.until("the server has counted every byte written", SETTLE,
                        () -> server.counters().bytesWritten() == 3L * size.bytes());
            }
        }
    }

    @ParameterizedTest(name = "[{0}] echo 1,000 concurrent connections")
    @MethodSource("strategies")
    void servesAThousandConcurrentConnections(StrategyUnderTest strategy) throws Exception {
        int connections = 1000;
        int size = 4096;
        try (RunningServer server = strategy.start(Workload.ECHO);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch allConnected = new CountDownLatch(connections);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                long seed = i;
                results.add(clients.submit(() -> {
                    try (EchoConnection client = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
                        allConnected.countDown();
                        go.await();
                        client.echo(EchoConnection.randomBytes(size, seed));
                    }
                    return null;
                }));
            }
            assertThat(allConnected.await(60, TimeUnit.SECONDS)).as("all clients connected").isTrue();
            // Every connection is open at once before any byte is sent: truly concurrent.
            if (strategy.counts()) {
                Poll.until("the server has accepted all " + connections + " connections", SETTLE,
                        () -> server.counters().activeConnections() == connections);
            }
            go.countDown();
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
            if (strategy.counts()) {
                Poll.until("every connection is closed on the server", SETTLE,
                        () -> server.counters().activeConnections() == 0);
                assertThat(server.counters().bytesWritten()).isEqualTo((long) connections * size);
                assertThat(server.counters().connectionsOpened()).isEqualTo(connections);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] echo finishes, then closes, after the client half-closes")
    @MethodSource("strategies")
    void finishesEchoingAfterHalfClose(StrategyUnderTest strategy) throws Exception {
        byte[] payload = EchoConnection.randomBytes(256 * 1024, 7);
        try (RunningServer server = strategy.start(Workload.ECHO);
             EchoConnection client = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
            byte[] received = client.sendHalfCloseAndReadToEnd(payload);
            assertThat(received).as("every byte sent before the half-close comes back")
                    .hasSize(payload.length).isEqualTo(payload);
            if (strategy.counts()) {
                Poll.until("the server has closed its side", SETTLE,
                        () -> server.counters().activeConnections() == 0);
                assertThat(server.counters().errors()).as("a half-close is not an error").isZero();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] echo counts a client reset mid-message and serves the others")
    @MethodSource("strategies")
    void survivesAResetMidMessage(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.ECHO);
             EchoConnection bystander = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
            bystander.echo(EchoConnection.randomBytes(1024, 1));

            EchoConnection victim = EchoConnection.connect(server.address(), Timeouts.REPLY);
            // Half of a 1 MiB message, some of it echoed, then the client vanishes with RST.
            byte[] half = EchoConnection.randomBytes(512 * 1024, 2);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> victim.writeFully(half));
            victim.readExactly(64 * 1024);
            writer.get(30, TimeUnit.SECONDS);
            victim.reset();

            if (strategy.counts()) {
                ServerCounters counters = server.counters();
                Poll.until("the server counts the reset as an error", SETTLE, () -> counters.errors() >= 1);
                Poll.until("the reset connection is freed", SETTLE, () -> counters.activeConnections() == 1);
                assertThat(counters.errors()).as("only the reset connection is an error").isEqualTo(1);
            }

            bystander.echo(EchoConnection.randomBytes(64 * 1024, 3));
            try (EchoConnection newcomer = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
                newcomer.echo(EchoConnection.randomBytes(64 * 1024, 4));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] echo bounds what it buffers for a client that never reads")
    @MethodSource("strategies")
    void boundsBufferingForAClientThatNeverReads(StrategyUnderTest strategy) throws Exception {
        int kernelBuffer = 64 * 1024;
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 4096, kernelBuffer, kernelBuffer));
        // What the server holds is read from its counters; an external server's are its own.
        strategy.assumeInProcess("the bytes it buffers");
        try (RunningServer server = strategy.start(spec)) {
            NeverReadingClient.assertServerBuffersAtMostItsBound(server, spec, kernelBuffer, 5, "server");
            ServerCounters counters = server.counters();
            Poll.until("the stalled connection is freed", SETTLE, () -> counters.activeConnections() == 0);
            try (EchoConnection other = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
                other.echo(EchoConnection.randomBytes(64 * 1024, 6));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] echo 1 MiB through a 4 KiB send buffer: partial writes resumed in order")
    @MethodSource("strategies")
    void echoesThroughPartialWrites(StrategyUnderTest strategy) throws Exception {
        // A send buffer far smaller than a read forces partial writes: each must be followed by
        // the rest, in order, and counted once.
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 128, 0, 4096));
        byte[] payload = EchoConnection.randomBytes(1 << 20, 12);
        try (RunningServer server = strategy.start(spec);
             EchoConnection client = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
            client.echo(payload);
            if (strategy.counts()) {
                Poll.until("the server has counted every byte written", SETTLE,
                        () -> server.counters().bytesWritten() == payload.length);
                assertThat(server.counters().bytesRead()).isEqualTo(payload.length);
            }
        }
    }

    @ParameterizedTest(name = "[{0}] close() frees the port and leaves no thread behind")
    @MethodSource("strategies")
    void closeFreesPortAndThreads(StrategyUnderTest strategy) throws Exception {
        String prefix = StrategyThreads.prefix(strategy.id());
        boolean threadsHere = !strategy.external(); // an external server's threads are in its process
        Set<Long> before = LiveThreads.snapshot();
        RunningServer server = strategy.start(Workload.ECHO);
        InetSocketAddress address = server.address();
        try (EchoConnection client = EchoConnection.connect(address, Timeouts.REPLY)) {
            client.echo(EchoConnection.randomBytes(4096, 8));
            if (threadsHere) {
                assertThat(LiveThreads.named(prefix))
                        .as("a running server's threads are named %s...", prefix)
                        .isNotEmpty();
            }

            server.close();

            if (threadsHere) {
                // close() frees its own threads before it returns; anything else it started
                // (unnamed, virtual) must end too, whatever its name.
                assertThat(LiveThreads.named(prefix)).as("threads named %s... alive after close()", prefix)
                        .isEmpty();
                LiveThreads.assertAllEndedSince(before, SETTLE, "after close()");
            }
            assertThat(client.endAfter(SETTLE))
                    .as("the open connection was closed by close() (a reset too: it had unread data)")
                    .isIn(EchoConnection.End.END_OF_STREAM, EchoConnection.End.RESET);
        } finally {
            server.close();
        }
        server.close(); // idempotent
        try (ServerSocketChannel rebound = ServerSocketChannel.open()) {
            assertThatCode(() -> rebound.bind(address)).as("the port is free at once")
                    .doesNotThrowAnyException();
        }
        try (RunningServer again = strategy.start(ServerSpec.loopback(Workload.ECHO).withBindAddress(address));
             EchoConnection client = EchoConnection.connect(again.address(), Timeouts.REPLY)) {
            assertThat(again.address().getPort()).isEqualTo(address.getPort());
            client.echo(EchoConnection.randomBytes(1024, 9));
        }
    }

    @ParameterizedTest(name = "[{0}] start() on a port in use fails and leaves no thread behind")
    @MethodSource("strategies")
    void startOnAPortInUseFailsCleanly(StrategyUnderTest strategy) throws Exception {
        strategy.assumeServes(Workload.ECHO);
        // An external server fails in its own process; what it leaves there cannot be seen from here.
        strategy.assumeInProcess("the threads a failed start leaves");
        try (RunningServer server = strategy.start(Workload.ECHO);
             EchoConnection client = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
            client.echo(EchoConnection.randomBytes(1024, 13));
            ServerSpec sameAddress = ServerSpec.loopback(Workload.ECHO)
                    .withBindAddress(server.address())
                    .withSocketOptions(new SocketOptions(true, false, 16, 0, 0));
            Set<Long> before = LiveThreads.snapshot();

            assertThatThrownBy(() -> strategy.strategy().start(sameAddress))
                    .as("a second server on %s", server.address())
                    .isInstanceOf(IOException.class);

            LiveThreads.assertAllEndedSince(before, SETTLE, "after a start() that failed");
            client.echo(EchoConnection.randomBytes(1024, 14)); // the first server is untouched
            try (EchoConnection newcomer = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
                newcomer.echo(EchoConnection.randomBytes(1024, 15));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] echo binds to loopback unless told otherwise")
    @MethodSource("strategies")
    void bindsToLoopbackByDefault(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.ECHO)) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            try (EchoConnection client = EchoConnection.connect(server.address(), Timeouts.REPLY)) {
                client.echo(EchoConnection.randomBytes(100, 10));
            }
            // A server's own word on where it listens is not evidence: the kernel's is.
            assumeTrue(ListeningSockets.available(), "the kernel's table of listening sockets is read from "
                    + ListeningSockets.TABLE + ", which only Linux has: only the address the server "
                    + "reports was checked");
            assertThat(ListeningSockets.listeningAddresses(server.address().getPort()))
                    .as("what the kernel lists as listening on port %d", server.address().getPort())
                    .isNotEmpty().allMatch(ListeningSockets::isLoopback);
        }
    }

    @ParameterizedTest(name = "[{0}] echo binds the wildcard address when told to")
    @MethodSource("strategies")
    void bindsTheWildcardAddressWhenTold(StrategyUnderTest strategy) throws Exception {
        ServerSpec wildcard = ServerSpec.loopback(Workload.ECHO)
                .withBindAddress(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        try (RunningServer server = strategy.start(wildcard)) {
            assertThat(server.address().getAddress().isAnyLocalAddress())
                    .as("told to bind the wildcard address, it does").isTrue();
            try (EchoConnection client = EchoConnection.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.address().getPort()), Timeouts.REPLY)) {
                client.echo(EchoConnection.randomBytes(100, 11));
            }
        }
    }
}
