package io.asyncbench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's client, proven against tiny servers that echo correctly and that do not. */
@Timeout(30)
class VerifyingEchoClientTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Echoes every byte; {@code flipAt} >= 0 inverts that byte of the connection's stream. */
    private static TinyServer.Handler echo(long flipAt) {
        return socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            long offset = 0;
            for (int n; (n = in.read(buffer)) > 0; offset += n) {
                if (flipAt >= offset && flipAt < offset + n) {
                    buffer[(int) (flipAt - offset)] ^= (byte) 0xff;
                }
                out.write(buffer, 0, n);
            }
        };
    }

    @ParameterizedTest(name = "{0}-byte messages")
    @ValueSource(ints = {1, 1024, EchoConnection.INLINE_WRITE_LIMIT + 1, 1 << 20})
    void verifiesACorrectServer(int size) throws Exception {
        try (TinyServer server = new TinyServer(echo(-1))) {
            VerifyingEchoClient.Result result =
                    new VerifyingEchoClient(server.address(), 4, size, TIMEOUT).run(SHORT);

            assertThat(result.errors()).isEmpty();
            assertThat(result.ok()).isTrue();
            assertThat(result.roundTrips()).isPositive();
            assertThat(result.roundTripsPerSecond()).isPositive();
            assertThat(result.bytesSent()).isEqualTo((result.roundTrips() + 4) * size);
        }
    }

    @Test
    void detectsAFlippedByte() throws Exception {
        try (TinyServer server = new TinyServer(echo(5))) {
            VerifyingEchoClient.Result result =
                    new VerifyingEchoClient(server.address(), 3, 64, TIMEOUT).run(SHORT);

            assertThat(result.ok()).isFalse();
            assertThat(result.errorCount()).isEqualTo(3);
            assertThat(result.roundTrips()).isZero();
            assertThat(result.errors()).hasSize(3).allSatisfy(error ->
                    assertThat(error).contains("round trip 1: wrong echo: byte 5 of 64 of message 1 is 0xff, "
                            + "expected 0x00"));
        }
    }

    @Test
    void detectsAFlippedByteLateInTheStream() throws Exception {
        // The 11th message of 100 bytes is wrong at its byte 42: the first ten are verified (one
        // of them the warm-up, which is not timed), then the connection stops.
        try (TinyServer server = new TinyServer(echo(10 * 100 + 42))) {
            VerifyingEchoClient.Result result =
                    new VerifyingEchoClient(server.address(), 1, 100, TIMEOUT).run(SHORT);

            assertThat(result.errors()).singleElement().asString()
                    .contains("round trip 11: wrong echo: byte 42 of 100 of message 11");
            assertThat(result.roundTrips()).isEqualTo(9);
            assertThat(result.bytesSent()).isEqualTo(10 * 100);
        }
    }

    @Test
    void detectsAShortReply() throws Exception {
        try (TinyServer server = new TinyServer(socket -> {
            byte[] message = socket.getInputStream().readNBytes(100);
            socket.getOutputStream().write(message, 0, 60);
        })) {
            VerifyingEchoClient.Result result =
                    new VerifyingEchoClient(server.address(), 1, 100, TIMEOUT).run(SHORT);

            assertThat(result.errors()).singleElement().asString()
                    .contains("short reply: the server closed the connection after 60 of 100 bytes");
        }
    }

    @Test
    void detectsASilentServer() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (TinyServer server = new TinyServer(socket -> never.await())) {
            VerifyingEchoClient.Result result = new VerifyingEchoClient(server.address(), 2, 10,
                    Duration.ofMillis(200)).run(Duration.ofMillis(50));

            assertThat(result.errorCount()).isEqualTo(2);
            assertThat(result.errors()).allSatisfy(error ->
                    assertThat(error).contains("the server sent nothing for 200 ms"));
        }
    }

    @Test
    void detectsAServerThatIgnoresTheHalfClose() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (TinyServer server = new TinyServer(socket -> {
            echo(-1).handle(socket);
            never.await(); // EOF seen, but the connection is never closed
        })) {
            VerifyingEchoClient.Result result = new VerifyingEchoClient(server.address(), 1, 10,
                    Duration.ofMillis(200)).run(Duration.ofMillis(50));

            assertThat(result.bytesSent()).isPositive();
            assertThat(result.errors()).singleElement().asString()
                    .contains("the server sent nothing for 200 ms");
        }
    }

    @Test
    void detectsExtraBytes() throws Exception {
        try (TinyServer server = new TinyServer(socket -> {
            echo(-1).handle(socket);
            socket.getOutputStream().write('!'); // one byte more than was sent
        })) {
            VerifyingEchoClient.Result result =
                    new VerifyingEchoClient(server.address(), 1, 10, TIMEOUT).run(SHORT);

            assertThat(result.errors()).singleElement().asString()
                    .contains("the server sent bytes that were never asked for");
        }
    }

    @Test
    void refusedConnectionIsAnError() throws Exception {
        TinyServer closed = new TinyServer(socket -> { });
        closed.close();

        VerifyingEchoClient.Result result =
                new VerifyingEchoClient(closed.address(), 1, 10, TIMEOUT).run(SHORT);

        assertThat(result.errors()).singleElement().asString().contains("Connection refused");
    }
}
