package io.asyncbench.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.TimerFanOut;
import io.asyncbench.api.TimerReport;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpResponseParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * What the conformance suite does not reach in this module's http, gateway, proxy and timers:
 * thread accounting with the timer, small buffers, pooled connections the backend closes, the
 * write/answer race on a pooled connection, a long relay.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallbacksWorkloadsTest {

    private static final String PREFIX = StrategyThreads.prefix(CallbacksStrategy.ID);
    private final Strategy strategy = new CallbacksStrategy();

    @Test
    void httpSweepsIdleConnectionsOnItsTimerThreadAndCloseStopsIt() throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP).withIoThreads(2));
             Client client = new Client(server.address())) {
            assertThat(client.get("/plaintext").status()).isEqualTo(200);
            assertThat(client.get("/delay?ms=20").bodyText()).isEqualTo("slept 20 ms");
            assertThat(liveThreads()).as("the idle timeout and the delay share the timer")
                    .containsExactly(PREFIX + "io-1", PREFIX + "io-2", PREFIX + "timer-1");
        }
        assertThat(liveThreads()).isEmpty();
    }

    @Test
    void echoStartsNoTimer() throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.ECHO).withIoThreads(2));
             SocketChannel client = SocketChannel.open(server.address())) {
            client.write(ByteBuffer.wrap(new byte[] {42}));
            assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(1);
            assertThat(liveThreads()).containsExactly(PREFIX + "io-1", PREFIX + "io-2");
        }
        assertThat(liveThreads()).isEmpty();
    }

    @Test
    void httpServesPipelinesWithBuffersSmallerThanARequest() throws Exception {
        Limits tiny = new Limits(16, 64, 32, Duration.ofSeconds(30), 8 * 1024, 1024 * 1024, Duration.ofSeconds(1),
                Duration.ofSeconds(10), 64, 512);
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP).withLimits(tiny));
             Client client = new Client(server.address())) {
            String body = "x".repeat(1000);
            client.send(("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n").repeat(20)
                    + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + body
                    + "GET /delay?ms=1 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    + "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"); // after a closing request: never answered
            for (int i = 0; i < 20; i++) {
                assertThat(client.response().bodyText()).isEqualTo("Hello, World!");
            }
            assertThat(client.response().bodyText()).isEqualTo(body);
            assertThat(client.response().bodyText()).isEqualTo("slept 1 ms");
            HttpResponseParser.Response last = client.response();
            assertThat(last.close()).isTrue();
            assertThat(client.atEnd()).as("closed after the closing request").isTrue();
            poll(() -> server.counters().activeConnections() == 0);
            assertThat(server.counters().requests()).isEqualTo(23);
            assertThat(server.counters().errors()).isZero();
        }
    }

    @Test
    void httpAnswersABadRequestThenLingersAndCloses() throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP));
             Client client = new Client(server.address())) {
            // A head over the limit followed by more bytes: the server stops reading mid-stream,
            // and must not reset the connection before the client has read the 431.
            client.send("GET /json HTTP/1.1\r\nHost: t\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n");
            assertThat(client.response().status()).isEqualTo(431);
            assertThat(client.atEnd()).isTrue();
            poll(() -> server.counters().activeConnections() == 0);
            assertThat(server.counters().errors()).as("a protocol error").isEqualTo(1);
        }
    }

    @Test
    void gatewayDropsPooledConnectionsTheBackendCloses() throws Exception {
        ServerSpec backendSpec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)));
        try (RunningServer backend = strategy.start(backendSpec);
             RunningServer gateway = strategy.start(ServerSpec.loopback(Workload.GATEWAY, List.of(backend.address())));
             Client client = new Client(gateway.address())) {
            assertThat(client.get("/fanout?k=3&ms=0").status()).isEqualTo(200);
            // The backend closes the three idle connections; the gateway's pending reads see EOF.
            poll(() -> backend.counters().activeConnections() == 0
                    && gateway.counters().activeConnections() == 1);
            assertThat(client.get("/fanout?k=3&ms=0").status()).as("no stale connection used").isEqualTo(200);
            assertThat(gateway.counters().errors()).isZero();
        }
    }

    @Test
    void gatewayUnderConcurrentLoadAnswersEveryRequest() throws Exception {
        // Many pooled connections reused at once: an answer handled on one thread while the
        // write of its request is still returning on another must not break the next call.
        try (RunningServer a = strategy.start(ServerSpec.loopback(Workload.HTTP).withIoThreads(2));
             RunningServer b = strategy.start(ServerSpec.loopback(Workload.HTTP).withIoThreads(2));
             RunningServer gateway = strategy.start(ServerSpec.loopback(Workload.GATEWAY,
                     List.of(a.address(), b.address())).withIoThreads(2)
                     .withLimits(Limits.DEFAULTS.withRequestDeadline(Duration.ofSeconds(20))));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 24; c++) {
                results.add(clients.submit(() -> {
                    int ok = 0;
                    try (Client client = new Client(gateway.address())) {
                        for (int i = 0; i < 60; i++) {
                            if (client.get("/fanout?k=4&ms=0").bodyText().equals("{\"k\":4,\"ms\":0,\"ok\":4}")) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(50, TimeUnit.SECONDS)).isEqualTo(60);
            }
            assertThat(gateway.counters().errors()).isZero();
            assertThat(a.counters().requests() + b.counters().requests()).isEqualTo(24 * 60 * 4);
        }
    }

    @Test
    void proxyRelaysManyMegabytesBothWaysAndCloses() throws Exception {
        byte[] payload = random(32 << 20, 7);
        try (RunningServer backend = strategy.start(ServerSpec.loopback(Workload.ECHO));
             RunningServer proxy = strategy.start(ServerSpec.loopback(Workload.PROXY, List.of(backend.address())));
             SocketChannel client = SocketChannel.open(proxy.address())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    ByteBuffer out = ByteBuffer.wrap(payload);
                    while (out.hasRemaining()) {
                        client.write(out); // partial on a virtual thread: the channel is non-blocking
                    }
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            ByteBuffer received = ByteBuffer.allocate(payload.length + 1);
            while (client.read(received) >= 0) {
                assertThat(received.hasRemaining()).as("no more than was sent").isTrue();
            }
            writer.get(30, TimeUnit.SECONDS);
            assertThat(received.position()).as("bytes back").isEqualTo(payload.length);
            assertThat(Arrays.mismatch(received.array(), 0, payload.length, payload, 0, payload.length))
                    .as("first differing byte").isEqualTo(-1);
            ServerCounters counters = proxy.counters();
            poll(() -> counters.activeConnections() == 0);
            assertThat(counters.connectionsOpened()).as("client side and backend side").isEqualTo(2);
            assertThat(counters.bytesRead()).isEqualTo(2L * payload.length);
            assertThat(counters.errors()).isZero();
        }
    }

    @Test
    void timersRecordEveryWakeUpAndCloseStopsTheirThreads() throws Exception {
        try (TimerFanOut timers = strategy.timers(3)) {
            TimerReport report = timers.sleepAndGather(50_000, Duration.ofMillis(50));
            assertThat(report.latenessNanos()).hasSize(50_000);
            assertThat(Arrays.stream(report.latenessNanos()).min().orElseThrow()).isNotNegative();
            assertThat(report.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
            assertThat(liveThreads()).hasSizeLessThanOrEqualTo(3).allMatch(name -> name.startsWith(PREFIX + "timer-"));
        }
        assertThat(liveThreads()).isEmpty();
    }

    /** A raw HTTP/1.1 client: exactly the bytes a test gives it, responses parsed by the api parser. */
    private static final class Client implements AutoCloseable {

        private final SocketChannel channel;
        private final HttpResponseParser parser = new HttpResponseParser(64 * 1024);
        private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024).flip();

        Client(InetSocketAddress address) throws IOException {
            channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }

        Client send(String raw) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return this;
        }

        HttpResponseParser.Response get(String target) throws IOException, HttpException {
            return send("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n").response();
        }

        HttpResponseParser.Response response() throws IOException, HttpException {
            HttpResponseParser.Response response;
            while ((response = parser.parse(pending)) == null) {
                pending.compact();
                int read = channel.read(pending);
                pending.flip();
                assertThat(read).as("the server closed before a complete response").isNotNegative();
            }
            return response;
        }

        /** True when the server closed the connection with nothing more to read. */
        boolean atEnd() throws IOException {
            return !pending.hasRemaining() && channel.read(ByteBuffer.allocate(1)) < 0;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static List<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith(PREFIX)).sorted().toList();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static void poll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met in time").isNegative();
            Thread.sleep(5);
        }
    }
}
