package io.asyncbench.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.Limits;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** asyncio's create_connection: a client protocol on a loop, talking to the echo server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelectorCreateConnectionTest {

    /** Sends one line, collects the echo until the server closes after our writeEof. */
    static final class OneLineClient implements Protocol {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final StringBuilder received = new StringBuilder();
        final CompletableFuture<String> done = new CompletableFuture<>();

        @Override
        public void connectionMade(Transport transport) {
            calls.add("connectionMade");
            transport.write(ByteBuffer.wrap("hello, loop".getBytes(StandardCharsets.US_ASCII)));
            transport.writeEof();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            calls.add("dataReceived");
            received.append(StandardCharsets.US_ASCII.decode(data)); // copy: data is the loop's
        }

        @Override
        public boolean eofReceived() {
            calls.add("eofReceived");
            return false;
        }

        @Override
        public void connectionLost(Throwable exc) {
            calls.add("connectionLost");
            done.complete(received.toString());
        }
    }

    @Test
    void clientProtocolSeesAsyncioCallbackOrder() throws Exception {
        ServerSpec spec = ServerSpec.loopback(Workload.ECHO).withIoThreads(2);
        try (SelectorServer server = SelectorServer.start(SelectorStrategy.ID, spec, SelectorEchoServer::new);
             SelectorLoopGroup clients = new SelectorLoopGroup(SelectorStrategy.ID + "-test", 1,
                     Limits.DEFAULTS)) {
            OneLineClient client = new OneLineClient();
            ServerCounters counters = new ServerCounters();
            Transport transport = clients.get(0)
                    .createConnection(server.address(), () -> client, counters)
                    .get(10, TimeUnit.SECONDS);
            assertThat(transport.loop()).isSameAs(clients.get(0));
            assertThat(client.done.get(10, TimeUnit.SECONDS)).isEqualTo("hello, loop");
            // start -> CM [-> DR*] [-> ER?] -> CL -> end
            assertThat(String.join(" ", client.calls))
                    .matches("connectionMade( dataReceived)+ eofReceived connectionLost");
            assertThat(counters.connectionsOpened()).isEqualTo(1);
            // Counted as the socket closes, just after connectionLost (which completed done).
            SelectorFlowControlTest.poll("the close is counted", () -> counters.connectionsClosed() == 1);
            assertThat(counters.bytesWritten()).isEqualTo(11);
            assertThat(counters.bytesRead()).isEqualTo(11);
        }
    }

    @Test
    void refusedConnectionFailsTheFuture() throws Exception {
        InetSocketAddress nobodyListens;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            nobodyListens = (InetSocketAddress) probe.getLocalAddress();
        }
        try (SelectorLoopGroup clients = new SelectorLoopGroup(SelectorStrategy.ID + "-test", 1,
                Limits.DEFAULTS)) {
            OneLineClient client = new OneLineClient();
            CompletableFuture<Transport> connecting = clients.get(0)
                    .createConnection(nobodyListens, () -> client);
            assertThat(connecting).failsWithin(10, TimeUnit.SECONDS)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IOException.class);
            assertThat(client.calls).as("the protocol never saw a connection").isEmpty();
        }
    }
}
