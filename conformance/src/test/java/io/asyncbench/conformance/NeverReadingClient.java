package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.load.EchoConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that writes and never reads, to check a server's backpressure: nothing drains the
 * server's output, so a server with a bound on what it buffers must stop reading this client, and
 * the client's writes must block.
 */
final class NeverReadingClient {

    /** What the client offers; far more than any bound, so reaching it means there was no backpressure. */
    private static final long OFFERED = 64L << 20;

    /**
     * Connects to {@code server} with {@code kernelBuffer}-byte socket buffers, writes bytes from
     * {@code seed} without ever reading until the server's bytes read stop changing, and asserts
     * that the writer is blocked and that the server took in, and holds in user space, no more than
     * its bounds allow. Then resets the connection and waits for the blocked writer to end.
     *
     * @param spec         the spec {@code server} was started with: its limits give the user-space bound
     * @param kernelBuffer the SO_RCVBUF/SO_SNDBUF the server and the peer that never drains it use
     * @param role         what the server is in the messages ("server", "proxy")
     */
    static void assertServerBuffersAtMostItsBound(RunningServer server, ServerSpec spec, int kernelBuffer,
                                                  long seed, String role) throws Exception {
        try (EchoConnection client = EchoConnection.connectWithBuffers(server.address(), kernelBuffer, Timeouts.REPLY)) {
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                ByteBuffer chunk = ByteBuffer.wrap(EchoConnection.randomBytes(64 * 1024, seed));
                try {
                    while (sent.get() < OFFERED) {
                        chunk.clear();
                        while (chunk.hasRemaining()) {
                            sent.addAndGet(client.channel().write(chunk));
                        }
                    }
                } catch (IOException closedByTheCheck) {
                    // The socket is reset under the blocked writer; that is how it ends.
                }
            }, runnable -> Thread.ofVirtual().start(runnable));

            ServerCounters counters = server.counters();
            long read = Poll.untilStable("the " + role + "'s bytes read", Duration.ofSeconds(1),
                    Duration.ofSeconds(60), counters::bytesRead);
            long userSpaceBound = spec.limits().maxBufferedBytesPerConnection();
            // Linux doubles SO_SNDBUF/SO_RCVBUF for bookkeeping: the server's send buffer plus the
            // receive buffer of the peer that never reads (this client for echo, the backend for proxy).
            long kernelBound = 2L * kernelBuffer * 2;
            assertThat(writer).as("backpressure reached the writer").isNotDone();
            assertThat(sent.get()).isLessThan(OFFERED);
            assertThat(read).as("bytes the " + role + " took in while nothing drained it")
                    .isLessThanOrEqualTo(kernelBound + userSpaceBound + kernelBuffer);
            assertThat(counters.bytesRead() - counters.bytesWritten())
                    .as("bytes the " + role + " holds in user space for that connection")
                    .isLessThanOrEqualTo(userSpaceBound);

            client.reset();
            writer.get(30, TimeUnit.SECONDS);
        }
    }

    private NeverReadingClient() {
    }
}
