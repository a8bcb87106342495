package io.asyncbench.virtualthreads;

import static io.asyncbench.virtualthreads.TestSupport.bytes;
import static io.asyncbench.virtualthreads.TestSupport.connect;
import static io.asyncbench.virtualthreads.TestSupport.liveThreads;
import static io.asyncbench.virtualthreads.TestSupport.pollUntil;
import static io.asyncbench.virtualthreads.TestSupport.writeFully;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpResponseParser;
import io.asyncbench.api.http.HttpResponseParser.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the conformance suite does not see: close() waking threads that wait on something other
 * than their socket, the pool replacing a connection the backend closed, the staged close, and the
 * idle reaper's edges (a half-sent body, a thread busy for longer than the idle timeout).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingWorkloadsTest {

    private static final Duration SETTLE = Duration.ofSeconds(20);
    /** Far below close()'s own 10 s bound: close() must wake its threads, not time them out. */
    private static final long PROMPT_CLOSE_MS = 3_000;

    static Stream<BlockingStrategy> strategies() {
        return BlockingStrategyTest.strategies();
    }

    @ParameterizedTest(name = "[{0}] close() wakes a connection sleeping in /delay")
    @MethodSource("strategies")
    void closeWakesASleepingDelay(BlockingStrategy strategy) throws Exception {
        RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP));
        try (SocketChannel client = connect(server.address())) {
            writeFully(client, ascii("GET /delay?ms=60000 HTTP/1.1\r\nHost: t\r\n\r\n"));
            pollUntil("the request arrived", SETTLE, () -> server.counters().bytesRead() > 0);
            assertClosesPromptly(strategy, server);
            assertThat(client.read(ByteBuffer.allocate(1))).as("the client sees the close").isEqualTo(-1);
        } finally {
            server.close();
        }
    }

    @ParameterizedTest(name = "[{0}] close() cancels a gather waiting on a silent backend")
    @MethodSource("strategies")
    void closeCancelsAGatherInFlight(BlockingStrategy strategy) throws Exception {
        try (ServerSocketChannel silent = listen()) {
            ServerSpec spec = ServerSpec.loopback(Workload.GATEWAY, List.of(address(silent)))
                    .withLimits(Limits.DEFAULTS.withRequestDeadline(Duration.ofSeconds(60)));
            RunningServer server = strategy.start(spec);
            try (SocketChannel client = connect(server.address())) {
                writeFully(client, ascii("GET /fanout?k=3&ms=1 HTTP/1.1\r\nHost: t\r\n\r\n"));
                SocketChannel call = silent.accept(); // the gateway's first call; never answered
                assertClosesPromptly(strategy, server);
                ByteBuffer request = ByteBuffer.allocate(1024);
                while (call.read(request) >= 0) {
                    request.clear(); // the cancelled call's connection is closed, not kept
                }
                call.close();
            } finally {
                server.close();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] gateway writes its 504 only once the cancelled calls have returned")
    @MethodSource("strategies")
    void answersTheDeadlineOnlyAfterItsCallsHaveEnded(BlockingStrategy strategy) throws Exception {
        try (ServerSocketChannel silent = listen()) { // connects (the backlog), never answers
            ServerSpec spec = ServerSpec.loopback(Workload.GATEWAY, List.of(address(silent)))
                    .withLimits(Limits.DEFAULTS.withRequestDeadline(Duration.ofMillis(200)));
            try (RunningServer server = strategy.start(spec);
                 SocketChannel client = connect(server.address())) {
                for (int i = 0; i < 3; i++) {
                    writeFully(client, ascii("GET /fanout?k=4&ms=0 HTTP/1.1\r\nHost: t\r\n\r\n"));
                    Response answer = response(client, new HttpResponseParser(4096), ByteBuffer.allocate(4096).flip());
                    assertThat(answer.status()).isEqualTo(504);
                    // Each cancelled call closed its backend connection before the answer was written.
                    assertThat(server.counters().connectionsOpened()).isEqualTo(1 + 4 * (i + 1));
                    assertThat(server.counters().activeConnections()).as("only the client's").isEqualTo(1);
                }
                assertThat(server.counters().errors()).as("a cancelled call is not a backend error").isZero();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] close() ends a proxied pair in both directions")
    @MethodSource("strategies")
    void closeEndsAProxiedPair(BlockingStrategy strategy) throws Exception {
        try (ServerSocketChannel backend = listen()) {
            RunningServer server = strategy.start(ServerSpec.loopback(Workload.PROXY, List.of(address(backend))));
            try (SocketChannel client = connect(server.address());
                 SocketChannel backendSide = backend.accept()) {
                pollUntil("both sides open", SETTLE, () -> server.counters().activeConnections() == 2);
                assertClosesPromptly(strategy, server);
                assertThat(backendSide.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
                assertThat(server.counters().connectionsClosed()).isEqualTo(2);
            } finally {
                server.close();
            }
        }
    }

    @ParameterizedTest(name = "[{0}] gateway replaces a pooled connection its backend closed while idle")
    @MethodSource("strategies")
    void replacesAStalePooledConnection(BlockingStrategy strategy) throws Exception {
        ServerSpec backendSpec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)));
        try (RunningServer backend = strategy.start(backendSpec);
             RunningServer gateway = strategy.start(ServerSpec.loopback(Workload.GATEWAY, List.of(backend.address())));
             SocketChannel client = connect(gateway.address())) {
            HttpResponseParser parser = new HttpResponseParser(4096);
            ByteBuffer buffer = ByteBuffer.allocate(4096).flip();
            for (int i = 0; i < 2; i++) {
                writeFully(client, ascii("GET /fanout?k=1&ms=0 HTTP/1.1\r\nHost: t\r\n\r\n"));
                assertThat(response(client, parser, buffer).status()).isEqualTo(200);
                // The backend's idle timeout closes the connection the gateway keeps in its pool.
                pollUntil("the backend closed the idle connection", SETTLE,
                        () -> backend.counters().activeConnections() == 0);
            }
            assertThat(backend.counters().connectionsOpened()).as("a new connection replaced the stale one")
                    .isEqualTo(2);
            assertThat(gateway.counters().errors()).isZero();
        }
    }

    @ParameterizedTest(name = "[{0}] http a closing answer survives bytes the client sent after it")
    @MethodSource("strategies")
    void closingAnswerSurvivesUnreadBytes(BlockingStrategy strategy) throws Exception {
        try (RunningServer server = strategy.start(ServerSpec.loopback(Workload.HTTP));
             SocketChannel client = connect(server.address())) {
            // Closing with these bytes unread would reset the connection under the answer.
            writeFully(client, ascii("GET /json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
            writeFully(client, bytes(256 * 1024));
            Response answer = response(client, new HttpResponseParser(4096), ByteBuffer.allocate(4096).flip());
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.close()).isTrue();
            assertThat(client.read(ByteBuffer.allocate(1))).as("then an orderly end").isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "[{0}] http an idle connection is closed and counted as an error")
    @MethodSource("strategies")
    void idleTimeoutIsAnError(BlockingStrategy strategy) throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)));
        try (RunningServer server = strategy.start(spec);
             SocketChannel client = connect(server.address())) {
            assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            pollUntil("the connection is freed", SETTLE, () -> server.counters().activeConnections() == 0);
            assertThat(server.counters().errors()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "[{0}] http a half-sent body is closed at the idle timeout, as an error")
    @MethodSource("strategies")
    void halfSentBodyEndsAtTheIdleTimeout(BlockingStrategy strategy) throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)));
        try (RunningServer server = strategy.start(spec);
             SocketChannel client = connect(server.address())) {
            // The head is whole, so the reaper (not the head's timed read) must end this wait.
            writeFully(client, ascii("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
            assertThat(client.read(ByteBuffer.allocate(1))).as("closed without an answer").isEqualTo(-1);
            pollUntil("the connection is freed", SETTLE, () -> server.counters().activeConnections() == 0);
            assertThat(server.counters().errors()).isEqualTo(1);
            assertThat(server.counters().requests()).isZero();
        }
    }

    @ParameterizedTest(name = "[{0}] http a request slower than the idle timeout is answered, not timed out")
    @MethodSource("strategies")
    void aBusyConnectionIsNotIdle(BlockingStrategy strategy) throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(200)));
        try (RunningServer server = strategy.start(spec);
             SocketChannel client = connect(server.address())) {
            // Three idle timeouts asleep in /delay: the thread is busy, not waiting for the client.
            writeFully(client, ascii("GET /delay?ms=600 HTTP/1.1\r\nHost: t\r\n\r\n"));
            HttpResponseParser parser = new HttpResponseParser(4096);
            ByteBuffer buffer = ByteBuffer.allocate(4096).flip();
            assertThat(response(client, parser, buffer).status()).isEqualTo(200);
            writeFully(client, ascii("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"));
            assertThat(response(client, parser, buffer).status()).as("the same connection, still open")
                    .isEqualTo(200);
            assertThat(server.counters().errors()).isZero();
        }
    }

    private static void assertClosesPromptly(BlockingStrategy strategy, RunningServer server) throws IOException {
        long start = System.nanoTime();
        server.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(PROMPT_CLOSE_MS);
        assertThat(liveThreads(StrategyThreads.prefix(strategy.id()))).as("threads alive after close()").isEmpty();
        assertThat(server.counters().activeConnections()).isZero();
        assertThat(server.counters().errors()).as("our own close() is not a peer error").isZero();
    }

    private static Response response(SocketChannel client, HttpResponseParser parser, ByteBuffer buffer)
            throws IOException, HttpException {
        while (true) {
            Response response = parser.parse(buffer);
            if (response != null) {
                return response;
            }
            buffer.compact();
            int read = client.read(buffer);
            buffer.flip();
            if (read < 0) {
                throw new AssertionError("closed before a complete response");
            }
        }
    }

    private static ServerSocketChannel listen() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static InetSocketAddress address(ServerSocketChannel listener) throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
