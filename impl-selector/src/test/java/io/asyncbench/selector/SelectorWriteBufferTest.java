package io.asyncbench.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Workload;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport's write buffer while the peer does not read: small writes are merged into few
 * chunks, and the chunks go out in gathering writes, every byte in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectorWriteBufferTest {

    private static final int KERNEL_BUFFER = 16 * 1024;
    private static final int WRITES = 20_000;

    /** Writes WRITES small messages of varying sizes at once, then reports what it buffered. */
    static final class SmallWriter implements Protocol {
        final CompletableFuture<int[]> buffered = new CompletableFuture<>();
        long total;

        @Override
        public void connectionMade(Transport transport) {
            transport.setWriteBufferLimits(Integer.MAX_VALUE, 0); // this test is not about pausing
            ByteBuffer scratch = ByteBuffer.allocate(256);
            for (int i = 0; i < WRITES; i++) {
                scratch.clear();
                fill(scratch, total, 1 + i % 200);
                total += scratch.remaining();
                transport.write(scratch); // reused at once: write copies what it keeps
            }
            SelectorSocketTransport socket = (SelectorSocketTransport) transport;
            buffered.complete(new int[] {socket.getWriteBufferSize(), socket.bufferedChunks()});
            transport.close(); // flushes everything first
        }

        @Override
        public void dataReceived(ByteBuffer data) {
        }

        @Override
        public void connectionLost(Throwable exc) {
        }
    }

    /** Byte k of the whole stream is (k * 31) mod 251, so any reordering or loss shows. */
    static void fill(ByteBuffer out, long offset, int length) {
        for (int i = 0; i < length; i++) {
            out.put((byte) ((offset + i) * 31 % 251));
        }
        out.flip();
    }

    @Test
    void smallWritesWhileBackedUpAreMergedAndArriveInOrder() throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO).withIoThreads(1)
                .withSocketOptions(new SocketOptions(true, true, 128, KERNEL_BUFFER, KERNEL_BUFFER));
        SmallWriter writer = new SmallWriter();
        try (SelectorServer server = SelectorServer.start(SelectorStrategy.ID, spec, () -> writer);
             SocketChannel client = SocketChannel.open()) {
            client.setOption(StandardSocketOptions.SO_RCVBUF, KERNEL_BUFFER);
            client.connect(server.address());
            int[] buffered = writer.buffered.get(10, TimeUnit.SECONDS);
            int bytes = buffered[0];
            int chunks = buffered[1];
            assertThat(bytes).as("the kernel refused most of it").isGreaterThan(200_000);
            // Each chunk is 4 KiB, filled up to less than one message (at most 200 bytes) short.
            assertThat(chunks).as("%d small writes held in few chunks", WRITES)
                    .isLessThanOrEqualTo(bytes / (4 * 1024 - 200) + 2);

            ByteBuffer received = ByteBuffer.allocate((int) writer.total + 1);
            while (client.read(received) >= 0) {
                assertThat(received.position()).isLessThanOrEqualTo((int) writer.total);
            }
            received.flip();
            assertThat(received.remaining()).isEqualTo((int) writer.total);
            ByteBuffer expected = ByteBuffer.allocate((int) writer.total);
            fill(expected, 0, (int) writer.total);
            assertThat(received).isEqualTo(expected);
            assertThat(server.counters().bytesWritten()).isEqualTo(writer.total);
        }
    }
}
