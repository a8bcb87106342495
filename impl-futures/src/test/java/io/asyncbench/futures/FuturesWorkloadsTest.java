package io.asyncbench.futures;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the conformance suite does not look at: the futures-specific corners of the workloads. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FuturesWorkloadsTest {

    private static final String PREFIX = StrategyThreads.prefix(FuturesStrategy.ID);
    private final Strategy strategy = new FuturesStrategy();

    @Test
    void gatherFailsAsSoonAsOneFails() {
        CompletableFuture<Void> slow = new CompletableFuture<>();
        CompletableFuture<Void> failing = new CompletableFuture<>();
        CompletableFuture<Void> all = FuturesGather.all(slow, failing);
        failing.completeExceptionally(new IOException("refused"));
        assertThat(all).isCompletedExceptionally();
        assertThat(slow).isNotDone();
    }

    @Test
    void gatewayDropsPooledConnectionsThatTheBackendClosedWhileIdle() throws Exception {
        // The backend closes idle connections after 300 ms: the gateway's pooled ones must leave
        // the pool when that happens, not fail the next call with 502.
        ServerSpec backendSpec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)));
        try (RunningServer backend = strategy.start(backendSpec);
             RunningServer gateway = strategy.start(
                     ServerSpec.loopback(Workload.GATEWAY, List.of(backend.address())))) {
            assertThat(get(gateway.address(), "/fanout?k=3&ms=0")).startsWith("HTTP/1.1 200");
            ServerCounters counters = gateway.counters();
            poll(() -> backend.counters().activeConnections() == 0);
            poll(() -> counters.activeConnections() == 0); // the gateway closed its ends too
            assertThat(get(gateway.address(), "/fanout?k=3&ms=0")).startsWith("HTTP/1.1 200");
            assertThat(counters.errors()).as("a backend closing an idle connection is no error").isZero();
        }
    }

    @Test
    void httpClosesAClientThatStopsReadingItsAnswers() throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP)
                .withSocketOptions(new SocketOptions(true, true, 128, 4096, 4096))
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(500)));
        try (RunningServer server = strategy.start(spec);
             Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(server.address());
            byte[] requests = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int i = 0; i < 1000; i++) {
                        out.write(requests); // blocks once the server stops reading, fails once it closes
                    }
                } catch (IOException closedByTheServer) {
                    return;
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            poll(() -> server.counters().activeConnections() == 0);
            assertThat(server.counters().errors()).isEqualTo(1);
            writer.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void gatewayClosesTheCallsItCancelsAtTheDeadlineWithoutCountingErrors() throws Exception {
        // The backend answers after 2 s, the deadline is 200 ms: to the gateway it never answers.
        try (RunningServer backend = strategy.start(ServerSpec.loopback(Workload.HTTP));
             RunningServer gateway = strategy.start(
                     ServerSpec.loopback(Workload.GATEWAY, List.of(backend.address()))
                             .withLimits(Limits.DEFAULTS.withRequestDeadline(Duration.ofMillis(200))))) {
            ServerCounters counters = gateway.counters();
            long errorsBefore = counters.errors();
            assertThat(get(gateway.address(), "/fanout?k=4&ms=2000")).startsWith("HTTP/1.1 504");
            // The client's connection closes after its one request; the four calls' connections
            // are closed at the deadline, never pooled, each counted once.
            poll(() -> counters.activeConnections() == 0);
            assertThat(counters.connectionsOpened()).isEqualTo(5);
            poll(() -> backend.counters().activeConnections() == 0);
            assertThat(counters.errors()).as("calls cancelled at the deadline are no errors: the 504 says so")
                    .isEqualTo(errorsBefore);
        }
    }

    @Test
    void timersWakeNoTaskEarlyAndCloseTheirThreads() throws Exception {
        try (TimerFanOut timers = strategy.timers(2)) {
            TimerReport report = timers.sleepAndGather(50_000, Duration.ofMillis(50));
            assertThat(Arrays.stream(report.latenessNanos()).min().orElseThrow()).isNotNegative();
            assertThat(report.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith(PREFIX))).isEmpty();
    }

    /** One request with {@code Connection: close}; the whole response as text. */
    private static String get(InetSocketAddress address, String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static void poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met in time").isNegative();
            Thread.sleep(5);
        }
    }
}
