package io.asyncbench.virtualthreads;

import static io.asyncbench.virtualthreads.TestSupport.bytes;
import static io.asyncbench.virtualthreads.TestSupport.connect;
import static io.asyncbench.virtualthreads.TestSupport.liveThreads;
import static io.asyncbench.virtualthreads.TestSupport.pollUntil;
import static io.asyncbench.virtualthreads.TestSupport.pollUntilStable;
import static io.asyncbench.virtualthreads.TestSupport.readExactly;
import static io.asyncbench.virtualthreads.TestSupport.writeFully;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the strategies share, and the one way each pair differs: the kind of thread, or the fan-out. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingStrategyTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    /** Found the way the bench finds them: through ServiceLoader. */
    static Stream<BlockingStrategy> strategies() {
        return Strategies.all().stream()
                .filter(BlockingStrategy.class::isInstance)
                .map(BlockingStrategy.class::cast);
    }

    @Test
    void allAreRegisteredAndDifferInThreadKindOrFanOut() throws IOException {
        assertThat(strategies().map(s -> s.id() + "=" + s.kind()))
                .containsExactly("virtual-threads=VIRTUAL", "structured=VIRTUAL", "platform-threads=PLATFORM");
        assertThat(liveThreads("asyncbench-")).as("constructing a strategy starts no thread").isEmpty();
    }

    @ParameterizedTest(name = "[{0}] one named thread of its kind per connection, options applied")
    @MethodSource("strategies")
    void servesEachConnectionOnItsOwnThreadOfItsKind(BlockingStrategy strategy) throws Exception {
        int kernelBuffer = 48 * 1024;
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 128, kernelBuffer, kernelBuffer));
        CompletableFuture<Thread> servedOn = new CompletableFuture<>();
        CompletableFuture<String> options = new CompletableFuture<>();
        BlockingHandler echo = new BlockingEchoServer(spec.limits());
        BlockingHandler probe = (channel, counters) -> {
            servedOn.complete(Thread.currentThread());
            options.complete("nodelay=" + channel.getOption(StandardSocketOptions.TCP_NODELAY)
                    + " rcvbuf>=48K=" + (channel.getOption(StandardSocketOptions.SO_RCVBUF) >= kernelBuffer)
                    + " sndbuf>=48K=" + (channel.getOption(StandardSocketOptions.SO_SNDBUF) >= kernelBuffer));
            echo.serve(channel, counters);
        };
        String prefix = StrategyThreads.prefix(strategy.id());
        try (RunningServer server = BlockingServer.start(strategy.id(), strategy.kind(), spec, probe);
             SocketChannel client = connect(server.address())) {
            writeFully(client, bytes(1000));
            assertThat(readExactly(client, 1000)).isEqualTo(bytes(1000));

            Thread thread = servedOn.get(10, TimeUnit.SECONDS);
            assertThat(thread.isVirtual()).isEqualTo(strategy.kind() == ThreadKind.VIRTUAL);
            assertThat(thread.getName()).startsWith(prefix + "conn-");
            assertThat(options.get(10, TimeUnit.SECONDS)).isEqualTo("nodelay=true rcvbuf>=48K=true sndbuf>=48K=true");
            assertThat(liveThreads(prefix)).as("the acceptor and the connection's thread, named")
                    .anyMatch(name -> name.startsWith(prefix + "acceptor-"))
                    .anyMatch(name -> name.startsWith(prefix + "conn-"));
        }
        assertThat(liveThreads(prefix)).isEmpty();
    }

    @ParameterizedTest(name = "[{0}] holds one buffer for a peer that never reads")
    @MethodSource("strategies")
    void holdsOneBufferForAPeerThatNeverReads(BlockingStrategy strategy) throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 128, 16 * 1024, 16 * 1024));
        // Declared first, closed last: the client's reset ends the blocked writer first.
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
             RunningServer server = strategy.start(spec);
             SocketChannel client = connect(server.address())) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            writers.submit(() -> {
                writeFully(client, bytes(64 << 20));
                return null;
            });
            ServerCounters counters = server.counters();
            pollUntilStable(counters::bytesRead, Duration.ofSeconds(1), Duration.ofSeconds(30));
            // The thread is stuck in write(): what it holds is the bytes of one read, no more.
            assertThat(counters.bytesRead() - counters.bytesWritten())
                    .isLessThanOrEqualTo(Limits.DEFAULTS.readBufferSize());
            assertThat(counters.bytesRead()).isLessThan(64 << 20);
            TestSupport.reset(client); // the server's blocked write fails, its thread ends
            pollUntil("the stalled connection is closed", SETTLE, () -> counters.activeConnections() == 0);
            assertThat(counters.errors()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] close() wakes threads blocked in read and in write")
    @MethodSource("strategies")
    void closeWakesThreadsBlockedInReadAndInWrite(BlockingStrategy strategy) throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO)
                .withSocketOptions(new SocketOptions(true, true, 128, 16 * 1024, 16 * 1024));
        String prefix = StrategyThreads.prefix(strategy.id());
        RunningServer server = strategy.start(spec);
        ServerCounters counters = server.counters();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
             SocketChannel idle = connect(server.address());
             SocketChannel stalled = connect(server.address())) {
            stalled.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            writers.submit(() -> {
                writeFully(stalled, bytes(64 << 20));
                return null;
            });
            pollUntil("both connections accepted", SETTLE, () -> counters.activeConnections() == 2);
            pollUntilStable(counters::bytesRead, Duration.ofSeconds(1), Duration.ofSeconds(30));

            server.close();

            assertThat(liveThreads(prefix)).as("threads alive after close()").isEmpty();
            assertThat(counters.connectionsClosed()).as("every connection closed, once").isEqualTo(2);
            assertThat(counters.errors()).as("our own close() is not a peer error").isZero();
            assertThat(idle.read(ByteBuffer.allocate(1))).as("the idle peer sees an orderly close")
                    .isEqualTo(-1);
        } finally {
            server.close();
        }
        server.close(); // idempotent
        assertThat(counters.connectionsOpened()).isEqualTo(2);
        assertThat(counters.connectionsClosed()).isEqualTo(2);
    }
}
