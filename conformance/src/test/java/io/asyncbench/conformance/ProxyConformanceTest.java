package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import io.asyncbench.load.EchoConnection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The proxy workload (a TCP relay with backpressure), checked the same way for every strategy. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyConformanceTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    private static ServerSpec proxyTo(TestBackend backend) {
        return ServerSpec.loopback(Workload.PROXY, List.of(backend.address()));
    }

    @ParameterizedTest(name = "[{0}] proxy relays 1 MiB both ways byte for byte")
    @MethodSource("strategies")
    void relaysBytesExactly(StrategyUnderTest strategy) throws Exception {
        try (TestBackend echo = new TestBackend(TestBackend.Behaviour.TCP_ECHO);
             RunningServer proxy = strategy.start(proxyTo(echo));
             EchoConnection client = EchoConnection.connect(proxy.address(), Timeouts.REPLY)) {
            client.echo(EchoConnection.randomBytes(1 << 20, 1));
            client.echo(EchoConnection.randomBytes(1, 2));
            assertThat(echo.accepted()).as("one backend connection per client").isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] proxy propagates a half-close and then closes")
    @MethodSource("strategies")
    void propagatesHalfClose(StrategyUnderTest strategy) throws Exception {
        byte[] payload = EchoConnection.randomBytes(256 * 1024, 3);
        try (TestBackend echo = new TestBackend(TestBackend.Behaviour.TCP_ECHO);
             RunningServer proxy = strategy.start(proxyTo(echo));
             EchoConnection client = EchoConnection.connect(proxy.address(), Timeouts.REPLY)) {
            byte[] received = client.sendHalfCloseAndReadToEnd(payload);
            assertThat(received).as("the backend saw EOF, echoed everything, closed; so did the proxy")
                    .isEqualTo(payload);
            Poll.until("both proxy connections are closed", SETTLE,
                    () -> proxy.counters().activeConnections() == 0 && echo.openConnections() == 0);
        }
    }

    @ParameterizedTest(name = "[{0}] proxy memory stays bounded when the backend never reads")
    @MethodSource("strategies")
    void boundsBufferingAgainstASlowBackend(StrategyUnderTest strategy) throws Exception {
        int kernelBuffer = 64 * 1024;
        try (TestBackend sink = new TestBackend(TestBackend.Behaviour.TCP_NEVER_READS, kernelBuffer)) {
            ServerSpec spec = proxyTo(sink)
                    .withSocketOptions(new SocketOptions(true, true, 4096, kernelBuffer, kernelBuffer));
            try (RunningServer proxy = strategy.start(spec)) {
                NeverReadingClient.assertServerBuffersAtMostItsBound(proxy, spec, kernelBuffer, 4, "proxy");
            }
        }
    }

    @ParameterizedTest(name = "[{0}] proxy closes the backend side when the client resets")
    @MethodSource("strategies")
    void closesTheOtherSideOnReset(StrategyUnderTest strategy) throws Exception {
        try (TestBackend echo = new TestBackend(TestBackend.Behaviour.TCP_ECHO);
             RunningServer proxy = strategy.start(proxyTo(echo))) {
            EchoConnection client = EchoConnection.connect(proxy.address(), Timeouts.REPLY);
            client.echo(EchoConnection.randomBytes(4096, 5));
            client.reset();
            Poll.until("the proxy closed its backend connection", SETTLE, () -> echo.openConnections() == 0);
            Poll.until("the proxy freed both connections", SETTLE,
                    () -> proxy.counters().activeConnections() == 0);
            try (EchoConnection next = EchoConnection.connect(proxy.address(), Timeouts.REPLY)) {
                next.echo(EchoConnection.randomBytes(4096, 6));
            }
        }
    }

    @ParameterizedTest(name = "[{0}] proxy closes the client when the backend refuses")
    @MethodSource("strategies")
    void closesTheClientWhenTheBackendRefuses(StrategyUnderTest strategy) throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.PROXY, List.of(TestBackend.refusedAddress()));
        try (RunningServer proxy = strategy.start(spec);
             HttpTestClient client = new HttpTestClient(proxy.address())) {
            assertThat(client.closedByServer()).as("the client is closed, not left hanging").isTrue();
            Poll.until("the refusal is counted as an error", SETTLE, () -> proxy.counters().errors() >= 1);
        }
    }

    /** 1 GiB through a slow reader: the heavy profile only ({@code ./mvnw verify -Pheavy}). */
    @Tag("heavy")
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    @ParameterizedTest(name = "[{0}] proxy relays 1 GiB to a slow reader with flat memory")
    @MethodSource("strategies")
    void relaysAGibibyteWithFlatMemory(StrategyUnderTest strategy) throws Exception {
        long total = 1L << 30;
        try (TestBackend sink = new TestBackend(TestBackend.Behaviour.TCP_SLOW_SINK);
             RunningServer proxy = strategy.start(proxyTo(sink));
             EchoConnection client = EchoConnection.connect(proxy.address(), Timeouts.REPLY)) {
            ServerCounters counters = proxy.counters();
            // Both directions' buffers, since the counters add them up.
            long bound = 2L * proxyTo(sink).limits().maxBufferedBytesPerConnection();
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            long maxHeld = 0;
            ByteBuffer chunk = ByteBuffer.wrap(EchoConnection.randomBytes(256 * 1024, 7));
            for (long sent = 0; sent < total; sent += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    client.channel().write(chunk);
                }
                maxHeld = Math.max(maxHeld, counters.bytesRead() - counters.bytesWritten());
            }
            client.shutdownOutput();
            Poll.until("the slow reader has every byte", Duration.ofSeconds(300), () -> sink.bytesSunk() == total);
            System.gc();
            long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            assertThat(maxHeld).as("most bytes the proxy held in user space").isLessThanOrEqualTo(bound);
            assertThat(heapGrowth).as("heap growth after relaying 1 GiB").isLessThan(64L << 20);
        }
    }
}
