package io.asyncbench.virtualthreads;

import static io.asyncbench.virtualthreads.TestSupport.bytes;
import static io.asyncbench.virtualthreads.TestSupport.readExactly;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.OutputBuffers;
import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection's answers: batched in a borrowed buffer, written in order, the buffer given back. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PendingAnswersTest {

    private ServerSocketChannel listener;
    private SocketChannel client;
    private SocketChannel server;
    private final ServerCounters counters = new ServerCounters();

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        listener.close();
    }

    @Test
    void holdsNoBufferUntilAnAnswerAndGivesItBackOnceWritten() throws IOException {
        OutputBuffers pool = new OutputBuffers(256, 4);
        PendingAnswers answers = new PendingAnswers(server, counters, pool);
        answers.flush(); // nothing waits: nothing written, nothing borrowed
        assertThat(pool.kept()).isZero();

        answers.add("first ".getBytes());
        answers.add("second".getBytes());
        answers.flush();

        assertThat(new String(readExactly(client, 12))).isEqualTo("first second");
        assertThat(pool.kept()).isEqualTo(1);
        assertThat(counters.bytesWritten()).isEqualTo(12);
    }

    @Test
    void writesTheBatchFirstWhenTheNextAnswerDoesNotFitAndKeepsTheOrder() throws IOException {
        OutputBuffers pool = new OutputBuffers(16, 4);
        PendingAnswers answers = new PendingAnswers(server, counters, pool);
        byte[] big = bytes(100); // larger than any buffer: written on its own
        answers.add("0123456789".getBytes());
        answers.add("abcdefghij".getBytes()); // does not fit behind the first ten bytes
        answers.add(big);
        answers.add("end".getBytes());
        answers.flush();

        assertThat(new String(readExactly(client, 20))).isEqualTo("0123456789abcdefghij");
        assertThat(readExactly(client, 100)).isEqualTo(big);
        assertThat(new String(readExactly(client, 3))).isEqualTo("end");
        assertThat(pool.kept()).isEqualTo(1);
    }
}
