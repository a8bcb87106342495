package io.asyncbench.bench;

import io.asyncbench.api.Workload;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.Traffic;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * <h2>Proxy: relaying a byte stream with backpressure</h2>
 *
 * <p>The strategy's proxy relays each client connection to an echo backend; each of
 * {@code streams} client connections keeps 1 MiB in flight and checks every byte that comes back
 * (there and back through the proxy: every byte crosses it twice). One operation is one MiB
 * returned and verified, so operations per second are MiB per second. The asyncio counterpart:
 * two transports whose protocols call {@code pause_reading()} / {@code resume_reading()} on each
 * other as the write buffers fill and drain.
 *
 * <p>The echo backend is the same for every strategy (the fastest available, netty-epoll where it
 * runs) in its own process on the load generator's CPUs.
 *
 * <p><b>What to expect.</b> Streaming is copy-bound: large reads and writes, few wake-ups. Styles
 * that read into pooled or direct buffers and hand them straight to the other socket (Netty) copy
 * least; the proxy's memory stays flat whatever the throughput, since reading stops while the
 * other side is backed up.
 *
 * <p><b>Run just this one:</b>
 * <pre>
 *   ./asyncbench run --workloads proxy --strategies callbacks
 *   java -jar bench/target/benchmarks.jar ProxyBenchmark -p strategy=callbacks -p streams=1
 * </pre>
 */
public class ProxyBenchmark extends AsyncBenchmark {

    @Param({"1", "64"})
    public int streams;

    /** What each profile measures (see {@link BenchmarkMatrix}): quick and smoke relay one stream. */
    public static final BenchmarkMatrix MATRIX = BenchmarkMatrix.of(ProxyBenchmark.class, "throughput")
            .axes("streams")
            .quick(BenchmarkMatrix.primary("streams", "1"))
            .smoke(BenchmarkMatrix.every("streams", "1"));

    ServerUnderTest server;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        // Every relayed byte is written twice by the proxy: to the backend, and back to the client.
        server = ServerUnderTest.start(strategy, Workload.PROXY, 1,
                delta -> delta.bytesWritten() / (2L * Traffic.Proxy.OPERATION_BYTES),
                new Traffic.Proxy(Traffic.Proxy.DEFAULT_WINDOW), streams);
    }

    /** Each repetition of the measured iterations runs on a fresh server (ServerUnderTest#freshServerIfDue). */
    @Setup(Level.Iteration)
    public void freshServerIfDue(IterationParams iteration) throws IOException {
        server = server.freshServerIfDue(iteration);
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        server.close();
    }

    /** This JMH thread's streams. */
    @State(Scope.Thread)
    public static class Client extends LoadClient {
        @Setup(Level.Trial)
        public void connect(ProxyBenchmark benchmark, ThreadParams thread) throws IOException, LoadException {
            open(benchmark.server, new Traffic.Proxy(Traffic.Proxy.DEFAULT_WINDOW), benchmark.streams, thread);
        }

        @TearDown(Level.Trial)
        public void disconnect() {
            closeLoop();
        }
    }

    /** One MiB relayed there and back, and verified. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void throughput(Client client, ServerMetrics metrics) throws LoadException {
        client.loop.awaitCompletion();
    }
}
