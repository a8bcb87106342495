package io.asyncbench.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The idle sweep on a real server (its decisions on synthetic deadlines: api's IdleSweepTest). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallbacksIdleTimeoutTest {

    @Test
    void closesASilentConnectionAndASlowlorisButNotOneWaitingForALongAnswer() throws Exception {
        Strategy strategy = new CallbacksStrategy();
        ServerSpec spec = ServerSpec.loopback(Workload.HTTP)
                .withLimits(Limits.DEFAULTS.withIdleTimeout(Duration.ofMillis(300)));
        try (RunningServer server = strategy.start(spec);
             SocketChannel silent = SocketChannel.open(server.address());
             SocketChannel slowloris = SocketChannel.open(server.address());
             SocketChannel patient = SocketChannel.open(server.address())) {
            send(patient, "GET /delay?ms=900 HTTP/1.1\r\nHost: t\r\n\r\n"); // three timeouts long
            send(slowloris, "GET /plain");                                   // and never the rest
            assertThat(readToEnd(silent)).as("a silent connection is closed").isEmpty();
            assertThat(readToEnd(slowloris)).as("a half-sent head does not keep it open").isEmpty();
            String answer = readAnswer(patient);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("slept 900 ms");
            send(patient, "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(readAnswer(patient)).as("a busy connection is not idle").endsWith("Hello, World!");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.counters().errors() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5); // counted just after the close the clients saw
            }
            assertThat(server.counters().errors()).as("each timeout counted, once").isEqualTo(2);
        }
    }

    private static void send(SocketChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Everything until the server closes (reads block; the class timeout bounds them). */
    private static String readToEnd(SocketChannel channel) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(64 * 1024);
        while (channel.read(all) >= 0) {
            assertThat(all.hasRemaining()).as("more than expected").isTrue();
        }
        return new String(all.array(), 0, all.position(), StandardCharsets.US_ASCII);
    }

    /** One answer whose body ends with {@code Hello, World!} or {@code ms}: enough for these. */
    private static String readAnswer(SocketChannel channel) throws IOException {
        ByteBuffer all = ByteBuffer.allocate(64 * 1024);
        while (true) {
            assertThat(channel.read(all)).as("closed before the answer").isNotNegative();
            String text = new String(all.array(), 0, all.position(), StandardCharsets.US_ASCII);
            if (text.endsWith("Hello, World!") || text.endsWith(" ms")) {
                return text;
            }
        }
    }
}
