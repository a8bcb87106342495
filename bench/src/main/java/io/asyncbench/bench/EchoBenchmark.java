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
 * <h2>Echo: the cost of moving bytes in and out</h2>
 *
 * <p>The server writes back every byte it reads. Each connection sends a message of {@code size}
 * bytes, waits until the whole message has come back (checked byte for byte), and sends the next:
 * a closed loop over {@code connections} connections, like uvloop's echo benchmark (1, 10 and
 * 100 KiB messages). The asyncio counterpart is a {@code Protocol} whose {@code data_received}
 * calls {@code transport.write(data)}.
 *
 * <ul>
 *   <li>{@code throughput}: round trips per second, every connection busy all the time;</li>
 *   <li>{@code latency}: the time of one round trip on one connection while the others keep the
 *       server busy (latency under load; JMH SampleTime gives its percentiles).</li>
 * </ul>
 * Beside each: the server's CPU time and allocation per round trip, its memory per connection,
 * and the load generator's own CPU use ({@link ServerMetrics}).
 *
 * <p><b>What to expect.</b> With one connection every strategy waits on the network: latency is
 * two trips through the loopback stack plus two wake-ups, and the styles differ by their wake-up
 * cost. At 64 and 1,024 connections the event loops (selector, netty) batch many ready
 * connections per wake-up and spend the least CPU per round trip; thread-per-connection
 * styles pay a context switch (platform threads) or a park/unpark (virtual threads) per message.
 * At 100 KiB the copying dominates and the styles converge.
 *
 * <p><b>Run just this one:</b>
 * <pre>
 *   ./asyncbench run --workloads echo --strategies selector
 *   java -jar bench/target/benchmarks.jar EchoBenchmark -p strategy=selector -p size=1024 -p connections=64
 * </pre>
 */
public class EchoBenchmark extends AsyncBenchmark {

    /** Message size in bytes: 1, 10 and 100 KiB. */
    @Param({"1024", "10240", "102400"})
    public int size;

    @Param({"1", "64", "1024"})
    public int connections;

    /**
     * What each profile measures (see {@link BenchmarkMatrix}). The open loop at 1 KiB. Quick: 1 KiB
     * at 64 connections, throughput only (its latency is the open loop's; closed-loop SampleTime is
     * in smoke and full; memory per connection comes from http).
     */
    public static final BenchmarkMatrix MATRIX = BenchmarkMatrix.of(EchoBenchmark.class, "throughput", "latency")
            .axes("size", "connections")
            .openLoopWhere(p -> p.get("size").equals("1024"))
            .quick(BenchmarkMatrix.primary("size", "1024", "connections", "64"))
            .smoke(BenchmarkMatrix.every("size", "1024", "connections", "16"));

    ServerUnderTest server;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        int messageSize = size;
        server = ServerUnderTest.start(strategy, Workload.ECHO, 0,
                delta -> delta.bytesWritten() / messageSize, new Traffic.Echo(messageSize), connections);
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

    /** This JMH thread's connections. */
    @State(Scope.Thread)
    public static class Client extends LoadClient {
        @Setup(Level.Trial)
        public void connect(EchoBenchmark benchmark, ThreadParams thread) throws IOException, LoadException {
            open(benchmark.server, new Traffic.Echo(benchmark.size), benchmark.connections, thread);
        }

        @TearDown(Level.Trial)
        public void disconnect() {
            closeLoop();
        }
    }

    /** One verified round trip (of many in flight). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void throughput(Client client, ServerMetrics metrics) throws LoadException {
        client.loop.awaitCompletion();
    }

    /** One timed round trip while the other connections keep the server busy. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long latency(Client client, ServerMetrics metrics) throws LoadException {
        return client.loop.probe();
    }
}
