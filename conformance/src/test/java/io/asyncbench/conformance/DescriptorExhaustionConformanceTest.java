package io.asyncbench.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncbench.api.Workload;
import io.asyncbench.api.http.HttpResponseParser.Response;
import io.asyncbench.external.References;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server out of file descriptors keeps its listener and its threads, backs off instead of
 * spinning, says so in one line a second, and serves again as soon as descriptors are free: the
 * repro of issue 11, item 1, for every strategy. The server runs in a child JVM limited to 256
 * descriptors by {@code prlimit}; 400 clients connect (the kernel completes every handshake into
 * the backlog, the server can accept only about 200), then leave.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DescriptorExhaustionConformanceTest {

    private static final int DESCRIPTOR_LIMIT = 256;
    private static final int CLIENTS = 400;
    /** A window in which the exhausted server's CPU time and log are measured. */
    private static final Duration WINDOW = Duration.ofSeconds(3);
    /** A back-off loop costs a few milliseconds a second; a busy loop costs a whole core. */
    private static final double MAX_CPU_SHARE = 0.25;
    /** One report a second, of at most two log lines (the logger's time stamp line and the text). */
    private static final int MAX_LOG_LINES_PER_SECOND = 2;

    static Stream<StrategyUnderTest> strategies() {
        return StrategyUnderTest.all();
    }

    @ParameterizedTest(name = "[{0}] http out of file descriptors: backs off, logs once a second, serves again")
    @MethodSource("strategies")
    void survivesRunningOutOfDescriptors(StrategyUnderTest strategy, @TempDir Path dir) throws Exception {
        strategy.assumeServes(Workload.HTTP);
        Path prlimit = onPath("prlimit");
        assumeTrue(prlimit != null, "prlimit (util-linux) is not installed: cannot limit the child's descriptors");
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc: cannot count descriptors");
        // A known difference, not a pass: libuv, under uvloop, keeps a spare descriptor and, out of
        // descriptors, frees it to accept and at once close every connection waiting in the backlog
        // (its "EMFILE trick", uv__emfile_trick), without telling the code above it. So the
        // connections never wait for descriptors to come back as the spec asks, and nothing is
        // reported; the loop cannot be told otherwise from Python. asyncio (the same server.py on
        // the standard loop) and c-epoll do what the spec says.
        assumeTrue(!strategy.id().equals(References.UVLOOP), "uvloop's libuv closes the connections it cannot accept"
                + " (its EMFILE trick) instead of leaving them in the backlog and reporting it: a known difference");

        List<String> prefix = List.of(prlimit.toString(), "--nofile=" + DESCRIPTOR_LIMIT + ":" + DESCRIPTOR_LIMIT);
        try (ChildServerProcess server = strategy.external()
                ? ChildServerProcess.startExternal(prefix, strategy.externalServer(), dir.resolve("server.log"))
                : ChildServerProcess.start(prefix, strategy.id(), 2, dir.resolve("server.log"))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            // A server that has served before, as one under attack would have.
            for (int i = 0; i < 4; i++) {
                try (HttpTestClient client = new HttpTestClient(address)) {
                    assertThat(client.get("/plaintext").status()).isEqualTo(200);
                }
            }
            long descriptorsAtRest = server.openDescriptors();

            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Socket socket = new Socket();
                    socket.connect(address, 5_000); // completes in the backlog, accepted or not
                    clients.add(socket);
                }
                until(server, "the server has no descriptor left and connections wait in its backlog",
                        Duration.ofSeconds(20), () -> server.openDescriptors() >= DESCRIPTOR_LIMIT - 4
                                && server.acceptQueue() > 0);
                until(server, "the server reports the failed accepts", Duration.ofSeconds(5),
                        () -> countReports(server.logLines()) > 0);

                int linesBefore = server.logLines().size();
                Duration cpuBefore = server.cpuTime();
                long start = System.nanoTime();
                TimeUnit.NANOSECONDS.sleep(WINDOW.toNanos()); // a measurement window, not a wait
                Duration cpu = server.cpuTime().minus(cpuBefore);
                double seconds = (System.nanoTime() - start) / 1e9;
                // one snapshot: a line logged between two calls made the second one longer than the first
                List<String> lines = server.logLines();
                List<String> window = lines.subList(linesBefore, lines.size());

                assertThat(server.isAlive()).as("the server process is alive").isTrue();
                assertThat(server.acceptQueue()).as("the listener is still open: %s", server.state())
                        .isGreaterThanOrEqualTo(0);
                assertThat(cpu.toNanos() / 1e9 / seconds)
                        .as("CPU share while out of descriptors (%s in %.1f s): a back-off, not a busy loop",
                                cpu, seconds)
                        .isLessThan(MAX_CPU_SHARE);
                assertThat(window.size())
                        .as("log lines in %.1f s while out of descriptors:%n%s", seconds, String.join("\n", window))
                        .isLessThanOrEqualTo((int) Math.ceil(seconds + 1) * MAX_LOG_LINES_PER_SECOND);
            } finally {
                for (Socket socket : clients) {
                    socket.close();
                }
            }

            // Descriptors come back as the server sees its clients leave; within about a second
            // of that it accepts again. Several connections, so that every IO thread takes one.
            long freed = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                Response response;
                try (HttpTestClient client = new HttpTestClient(address)) {
                    response = client.get("/plaintext");
                } catch (java.io.IOException | AssertionError noAnswer) {
                    throw new AssertionError("a fresh GET after the clients left got no answer ("
                            + noAnswer + "); " + server.state(), noAnswer);
                }
                assertThat(response.status()).as("a fresh GET after the clients left").isEqualTo(200);
                if (i == 0) {
                    assertThat(Duration.ofNanos(System.nanoTime() - freed))
                            .as("time until the first fresh GET was answered: %s", server.state())
                            .isLessThan(Duration.ofSeconds(3));
                }
            }
            until(server, "the server's descriptors are back to where they were at rest (" + descriptorsAtRest + ")",
                    Duration.ofSeconds(10), () -> server.openDescriptors() <= descriptorsAtRest + 4);
            assertThat(countReports(server.logLines())).as("failures were reported").isPositive();
        }
    }

    private static void until(ChildServerProcess server, String what, Duration limit,
                              java.util.function.BooleanSupplier condition) {
        try {
            Poll.until(what, limit, condition);
        } catch (AssertionError timedOut) {
            throw new AssertionError(timedOut.getMessage() + "; " + server.state(), timedOut);
        }
    }

    private static long countReports(List<String> log) {
        return log.stream().filter(line -> line.contains("accept failed")).count();
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
