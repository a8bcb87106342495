package io.asyncbench.virtualthreads;

import static io.asyncbench.virtualthreads.TestSupport.bytes;
import static io.asyncbench.virtualthreads.TestSupport.connect;
import static io.asyncbench.virtualthreads.TestSupport.readExactly;
import static io.asyncbench.virtualthreads.TestSupport.writeFully;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.StrategyThreads;
import io.asyncbench.api.Workload;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A virtual thread that blocks while pinned (holding a monitor on JDK 21-23, in native code or a
 * class initializer on any JDK) keeps its carrier from running anyone else. JFR reports each such
 * park as {@code jdk.VirtualThreadPinned}; with the threshold at 0 every one is recorded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualThreadPinningTest {

    private static final String PINNED = "jdk.VirtualThreadPinned";

    @TempDir
    Path temp;

    @Test
    void servingEchoNeverPinsACarrier() throws Exception {
        String prefix = StrategyThreads.prefix(VirtualThreadsStrategy.ID);
        List<RecordedEvent> pinned = warmUpThenRecord(() -> {
            // Parks in accept, read and write (a 1 MiB echo fills the socket buffers), a peer
            // reset, then close() waking parked readers.
            RunningServer server = new VirtualThreadsStrategy().start(ServerSpec.loopback(Workload.ECHO));
            SocketChannel idle = connect(server.address()); // parked in read when close() comes
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int size = i == 0 ? 1 << 20 : 4096;
                    done.add(clients.submit(() -> {
                        try (SocketChannel client = connect(server.address())) {
                            Future<?> writer = clients.submit(() -> {
                                writeFully(client, bytes(size));
                                return null;
                            });
                            assertThat(readExactly(client, size)).isEqualTo(bytes(size));
                            writer.get();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                SocketChannel reset = connect(server.address());
                writeFully(reset, bytes(100));
                TestSupport.reset(reset);
                TestSupport.pollUntil("every connection but the idle one is closed", Duration.ofSeconds(10),
                        () -> server.counters().activeConnections() == 1);
            } finally {
                server.close();
                idle.close();
            }
        });
        assertThat(pinned).filteredOn(e -> e.getThread("eventThread").getJavaName().startsWith(prefix))
                .as("pinned parks of the server's virtual threads").isEmpty();
    }

    @ParameterizedTest(name = "[{0}] serving http, the gateway and the proxy never pins a carrier")
    @ValueSource(strings = {VirtualThreadsStrategy.ID, StructuredStrategy.ID})
    void servingHttpGatewayAndProxyNeverPinsACarrier(String id) throws Exception {
        String prefix = StrategyThreads.prefix(id);
        BlockingStrategy strategy = (BlockingStrategy) Strategies.byId(id);
        List<RecordedEvent> pinned = warmUpThenRecord(() -> {
            // Reads watched by the idle reaper, sleeps, backend calls from the pool, a
            // cancelled gather, a relayed pair; then close() waking a sleeping /delay.
            ServerSpec gatewaySpec;
            try (RunningServer backend = strategy.start(ServerSpec.loopback(Workload.HTTP))) {
                gatewaySpec = ServerSpec.loopback(Workload.GATEWAY, List.of(backend.address()))
                        .withLimits(io.asyncbench.api.Limits.DEFAULTS.withRequestDeadline(Duration.ofMillis(200)));
                try (RunningServer gateway = strategy.start(gatewaySpec);
                     RunningServer proxy = strategy.start(ServerSpec.loopback(Workload.PROXY, List.of(gateway.address())));
                     SocketChannel client = connect(proxy.address());
                     SocketChannel sleeper = connect(backend.address())) {
                    String requests = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n"
                            + "GET /delay?ms=5 HTTP/1.1\r\nHost: t\r\n\r\n"
                            + "GET /fanout?k=4&ms=1 HTTP/1.1\r\nHost: t\r\n\r\n"
                            + "GET /fanout?k=2&ms=1000 HTTP/1.1\r\nHost: t\r\n\r\n"   // 504: cancelled calls
                            + "GET /json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
                    writeFully(client, requests.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(64 * 1024);
                    while (client.read(sink) >= 0) {
                        sink.clear(); // until the gateway closes after the last answer
                    }
                    writeFully(sleeper, "GET /delay?ms=30000 HTTP/1.1\r\nHost: t\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    TestSupport.pollUntil("the sleeping request arrived", Duration.ofSeconds(10),
                            () -> backend.counters().requests() >= 4);
                }
            }
        });
        assertThat(pinned).filteredOn(e -> e.getThread("eventThread").getJavaName().startsWith(prefix))
                .as("pinned parks of the servers' virtual threads").isEmpty();
    }

    /** The control: proves the recording above would have seen a pinned park. */
    @Test
    void theProbeSeesAPinnedPark() throws Exception {
        List<RecordedEvent> pinned = record(() -> {
            Thread thread = Thread.ofVirtual().name("pinned-probe").start(SleepsInItsInitializer::touch);
            thread.join();
        });
        assertThat(pinned).anyMatch(e -> e.getThread("eventThread").getJavaName().equals("pinned-probe"));
    }

    /** A class initializer still pins on JDK 25: sleeping in it parks the carrier too. */
    static final class SleepsInItsInitializer {
        static {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} once unrecorded, then records it. The first run loads and initializes
     * classes, which can pin once in the JDK itself (two threads racing to initialize
     * sun.nio.ch.Poller, a contended class loader lock); the steady state is what the server's
     * code decides.
     */
    private List<RecordedEvent> warmUpThenRecord(Body body) throws Exception {
        body.run();
        return record(body);
    }

    private List<RecordedEvent> record(Body body) throws Exception {
        Path file = temp.resolve("pinning.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        return events.stream().filter(e -> e.getEventType().getName().equals(PINNED)).toList();
    }
}
