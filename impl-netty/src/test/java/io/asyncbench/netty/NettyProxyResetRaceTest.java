package io.asyncbench.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A proxy client that resets its connection while the proxy is still connecting to the backend:
 * the connect's listener then finds the client closed. It once turned reading on for that closed
 * channel, which on epoll logged a stack trace about one time in 500. The race is repeated here
 * many times over; it must stay quiet and leave nothing open.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NettyProxyResetRaceTest {

    private static final int ROUNDS = 500;

    static Stream<NettyStrategy> strategies() {
        return Stream.of(new NettyNioStrategy(), new NettyEpollStrategy());
    }

    @ParameterizedTest(name = "[{0}] proxy: {1} clients reset while the backend connects, quietly")
    @MethodSource("strategies")
    void clientResetDuringBackendConnectIsQuiet(NettyStrategy strategy) throws Exception {
        assumeTrue(strategy.availability().available(), () -> strategy.availability().reason());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.INFO);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try (Backend backend = new Backend();
             RunningServer server = strategy.start(ServerSpec.loopback(Workload.PROXY, List.of(backend.address())))) {
            for (int i = 0; i < ROUNDS; i++) {
                SocketChannel client = SocketChannel.open(server.address());
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                // A reset at once, or up to 100 µs later: the rounds sweep across the connect.
                long resetAt = System.nanoTime() + (i % 11) * 10_000L;
                while (System.nanoTime() - resetAt < 0) {
                    Thread.onSpinWait();
                }
                client.close();
            }
            poll("every client and backend connection is closed",
                    () -> server.counters().connectionsOpened() > 0 && server.counters().activeConnections() == 0);
        } finally {
            root.removeHandler(capture);
        }
        synchronized (capture) {
            assertThat(records).extracting(r -> r.getLoggerName() + ": " + r.getMessage()
                    + (r.getThrown() == null ? "" : " " + r.getThrown())).isEmpty();
        }
    }

    private static void poll(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Accepts connections and holds them until the proxy closes them. */
    private static final class Backend implements AutoCloseable {

        private final ServerSocketChannel listener = ServerSocketChannel.open();
        private final Set<SocketChannel> accepted = ConcurrentHashMap.newKeySet();
        private final Thread acceptor;

        Backend() throws IOException {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(listener.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) listener.getLocalAddress();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            acceptor.join();
            for (SocketChannel channel : accepted) {
                channel.close();
            }
        }
    }
}
