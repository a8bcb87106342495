package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The concurrency check of {@link HttpConformanceTest} can fail: it fails a server that answers
 * one request at a time, and passes one that waits for all at once. Both servers are a few lines
 * of blocking code here, answering nothing but {@code /delay}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentDelaysTest {

    private static final int REQUESTS = 10;
    private static final Duration DELAY = Duration.ofMillis(300);

    @Test
    void failsAServerThatAnswersOneAtATime() throws Exception {
        try (DelayServer serial = new DelayServer(false)) {
            assertThatThrownBy(() -> ConcurrentDelays.assertOverlapped(serial.address(), REQUESTS, DELAY))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("concurrent GET /delay?ms=300 answered within 2 x 300 ms")
                    .hasMessageContaining("holds fewer than 10 waits at a time");
        }
    }

    @Test
    void passesAServerThatWaitsForAllAtOnce() throws Exception {
        try (DelayServer concurrent = new DelayServer(true)) {
            assertThatCode(() -> ConcurrentDelays.assertOverlapped(concurrent.address(), REQUESTS, DELAY))
                    .doesNotThrowAnyException();
        }
    }

    /**
     * Answers {@code GET /delay?ms=N} after N ms, one connection at a time or each on its own
     * virtual thread. The sleep is the workload being served, not a test waiting for something.
     */
    private static final class DelayServer implements AutoCloseable {

        private static final Pattern MS = Pattern.compile("ms=(\\d+)");

        private final ServerSocket listener;
        private final Thread acceptor;

        DelayServer(boolean concurrent) throws IOException {
            listener = new ServerSocket(0, REQUESTS, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().name("delay-server").daemon().start(() -> {
                try {
                    while (true) {
                        Socket socket = listener.accept();
                        if (concurrent) {
                            Thread.ofVirtual().start(() -> answer(socket));
                        } else {
                            answer(socket);
                        }
                    }
                } catch (IOException closed) {
                    // close() closed the listener: done
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        private static void answer(Socket socket) {
            try (socket) {
                socket.setSoTimeout(10_000);
                String head = readHead(socket.getInputStream());
                Matcher ms = MS.matcher(head);
                if (!ms.find()) {
                    return;
                }
                Thread.sleep(Long.parseLong(ms.group(1)));
                String body = "slept " + ms.group(1) + " ms";
                socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException | InterruptedException e) {
                // the client went away, or the server is closing: nothing to answer
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws Exception {
            listener.close();
            acceptor.interrupt(); // a serial server may still be sleeping through its backlog
            acceptor.join(Duration.ofSeconds(30));
        }
    }
}
