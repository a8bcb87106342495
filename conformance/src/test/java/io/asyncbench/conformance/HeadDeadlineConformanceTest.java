package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The head deadline ({@link Limits#headDeadline()}) and the blank lines before a request counted
 * toward {@link Limits#maxHeaderBytes()}: the two ways a client could hold a connection forever by
 * sending a little at a time. The idle timeout stays at its 30 s default throughout, so only the
 * head deadline can end these connections within the tests' bounds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeadDeadlineConformanceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /** Generous for a loaded 2-core machine, and far below the 30 s idle timeout. */
    private static final Duration SLACK = Duration.ofSeconds(4);
    private static final Duration TRICKLE = Duration.ofMillis(100);
    private static final Duration QUIET_BEFORE_DEADLINE = Duration.ofMillis(300);

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    static Stream<Arguments> slowlorisPayloads() {
        return StrategyUnderTest.all().flatMap(strategy -> Stream.of(
                Arguments.of(strategy, "a header byte", "GET /plaintext HTTP/1.1\r\nX-Slow: " + "a".repeat(47)),
                Arguments.of(strategy, "a blank line", "\r\n".repeat(40))));
    }

    private static RunningServer start(StrategyUnderTest strategy) {
        return strategy.start(ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withHeadDeadline(DEADLINE)));
    }

    @ParameterizedTest(name = "[{0}] http slowloris ({1} per 100 ms) gets 408 at the head deadline")
    @MethodSource("slowlorisPayloads")
    void slowlorisGets408AndCloseAtTheHeadDeadline(StrategyUnderTest strategy, String what, String payload)
            throws Exception {
        try (RunningServer server = start(strategy);
             Socket socket = connect(server.address())) {
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long started = System.nanoTime();
            boolean ended = false;
            // Each byte resets the 30 s idle timeout. The trickle stops a little before the head
            // deadline, so that the server has read every byte when it closes: a byte arriving
            // after its close would make the kernel reset the connection, which can destroy the
            // 408 before it is read (a separate rule, the staged close, is about that).
            long stopSending = started + DEADLINE.minus(QUIET_BEFORE_DEADLINE).toNanos();
            for (int i = 0; i < payload.length() && !ended && System.nanoTime() - stopSending < 0; i++) {
                out.write(payload.charAt(i));
                out.flush();
                ended = readFor(socket, received, TRICKLE);
                if (received.size() > 0) {
                    break; // the server answered: stop sending, read the rest
                }
            }
            if (!ended) {
                ended = readFor(socket, received, SLACK);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            String answer = received.toString(StandardCharsets.US_ASCII);
            assertThat(answer).as("after %s of one %s per 100 ms", elapsed, what)
                    .startsWith("HTTP/1.1 408 Request Timeout\r\n");
            assertThat(ended).as("the server closed the connection after its 408").isTrue();
            assertThat(elapsed).as("408 came at the head deadline, not before")
                    .isGreaterThanOrEqualTo(DEADLINE.minusMillis(50))
                    .isLessThan(DEADLINE.plus(SLACK));
        }
    }

    @ParameterizedTest(name = "[{0}] http head deadline runs per request, from its first byte")
    @MethodSource("strategies")
    void headDeadlineRunsPerRequestFromItsFirstByte(StrategyUnderTest strategy) throws Exception {
        String request = "GET /plaintext HTTP/1.1\r\nHost: test\r\nX-Pad: padding\r\n\r\n";
        try (RunningServer server = start(strategy);
             HttpTestClient client = new HttpTestClient(server.address())) {
            for (int round = 0; round < 2; round++) {
                // Each head arrives in four pieces over about half the deadline: in time.
                int piece = (request.length() + 3) / 4;
                for (int from = 0; from < request.length(); from += piece) {
                    client.send(request.substring(from, Math.min(request.length(), from + piece)));
                    if (from + piece < request.length()) {
                        Thread.sleep(TRICKLE.toMillis()); // the trickle itself is what is tested
                    }
                }
                assertThat(client.response().status()).as("round %d", round).isEqualTo(200);
                // Silent between requests for longer than the head deadline: only the idle
                // timeout applies there, so the next request is served on the same connection.
                Thread.sleep(DEADLINE.plusMillis(300).toMillis());
            }
            assertThat(server.counters().connectionsOpened()).isEqualTo(1);
            assertThat(server.counters().errors()).isZero();
        }
    }

    @ParameterizedTest(name = "[{0}] http blank lines count toward the header limit (431)")
    @MethodSource("strategies")
    void blankLinesBeforeARequestCountTowardTheHeaderLimit(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP);
             Socket socket = connect(server.address())) {
            // Exactly the limit, and nothing after it: the server has read every byte when it
            // refuses, so its answer cannot be lost to a reset.
            socket.getOutputStream().write("\r\n".repeat(Limits.DEFAULTS.maxHeaderBytes() / 2)
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean ended = readFor(socket, received, Duration.ofSeconds(15));
            assertThat(received.toString(StandardCharsets.US_ASCII))
                    .startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
            assertThat(ended).as("closed after the 431").isTrue();
        }
    }

    @ParameterizedTest(name = "[{0}] http 1 MB of CRLF then a GET is refused, never answered 200")
    @MethodSource("strategies")
    void aFloodOfBlankLinesIsRefused(StrategyUnderTest strategy) throws Exception {
        try (RunningServer server = strategy.start(Workload.HTTP);
             Socket socket = connect(server.address())) {
            byte[] flood = ("\r\n".repeat(512 * 1024) + "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(flood);
                } catch (IOException refusedMidway) {
                    // Expected: the server stops reading once the limit is passed.
                }
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean ended;
            try {
                ended = readFor(socket, received, Duration.ofSeconds(15));
            } catch (IOException reset) {
                ended = true; // closed with our flood unread: a reset may overtake the answer
            }
            String answer = received.toString(StandardCharsets.US_ASCII);
            assertThat(ended).as("the server ended the connection; it sent: %s", answer).isTrue();
            assertThat(answer).as("refused, if the answer got through").satisfiesAnyOf(
                    text -> assertThat(text).isEmpty(),
                    text -> assertThat(text).startsWith("HTTP/1.1 431 "));
            Poll.until("the server counts the refusal", Duration.ofSeconds(10),
                    () -> server.counters().errors() >= 1);
            assertThat(server.counters().requests()).as("no GET was served").isLessThanOrEqualTo(1);
            socket.close();
            writing.get(15, TimeUnit.SECONDS);
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /**
     * Reads what arrives within {@code window} into {@code received}; true once the server has
     * closed (end of stream).
     */
    private static boolean readFor(Socket socket, ByteArrayOutputStream received, Duration window)
            throws IOException {
        InputStream in = socket.getInputStream();
        long deadline = System.nanoTime() + window.toNanos();
        byte[] chunk = new byte[4096];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                int read = in.read(chunk);
                if (read < 0) {
                    return true;
                }
                received.write(chunk, 0, read);
            } catch (SocketTimeoutException quiet) {
                return false;
            }
        }
    }
}
