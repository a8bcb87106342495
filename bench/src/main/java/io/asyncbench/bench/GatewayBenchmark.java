package io.asyncbench.bench;

import io.asyncbench.api.Workload;
import io.asyncbench.harness.ServerStats;
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
 * <h2>Gateway: scatter-gather to K backends under a deadline</h2>
 *
 * <p>Each request {@code GET /fanout?k=K&ms=M} makes the strategy's gateway call {@code K}
 * backends concurrently ({@code GET /delay?ms=M} on each), gather the answers and reply
 * {@code {"k":K,"ms":M,"ok":K}}, all within a 1 s deadline. The client checks every reply. This
 * is {@code asyncio.wait_for(asyncio.gather(*calls), timeout)} in a request handler: where the
 * styles differ most, since each composes concurrent calls and cancellation its own way.
 *
 * <p>The K backends are the same for every strategy under test: the fastest available strategy's
 * http servers (netty-epoll where it runs) in their own process on the load generator's CPUs, so
 * the figures differ only by the gateway. On a 2-core machine they share a core with the load
 * generator, and with 1 ms of delay 64 connections keep 256 backend calls in flight: there the
 * backends can set the pace ({@code backendCpuPercent} near 100), and the gateway's CPU time per
 * request ({@code serverCpuNanosPerOp}) is the figure that ranks the strategies.
 *
 * <p><b>What to expect.</b> With {@code delayMs=0} this measures the cost of K outgoing calls per
 * request: connection pooling, request encoding, response parsing, gathering. With
 * {@code delayMs=1} each request holds K calls open for a millisecond; a style that parks a
 * thread per call needs K threads per request in flight, a callback style only K pending
 * callbacks. Per request, K=32 costs about 8 times K=4 for every style; the ratio between styles
 * is what to read.
 *
 * <p><b>Run just this one:</b>
 * <pre>
 *   ./asyncbench run --workloads gateway --strategies futures
 *   java -jar bench/target/benchmarks.jar GatewayBenchmark -p strategy=futures -p backends=4 -p delayMs=1
 * </pre>
 */
public class GatewayBenchmark extends AsyncBenchmark {

    /** K: backends called per request. */
    @Param({"4", "32"})
    public int backends;

    /** M: how long each backend waits before answering. */
    @Param({"0", "1"})
    public int delayMs;

    @Param({"64"})
    public int connections;

    /**
     * What each profile measures (see {@link BenchmarkMatrix}). The open loop everywhere but quick:
     * there, K=4 with 1 ms backends, throughput only (on 2 cores the shared backends set the
     * gateway's pace, and its latency runs took a third of quick's 15 minutes).
     */
    public static final BenchmarkMatrix MATRIX = BenchmarkMatrix.of(GatewayBenchmark.class, "throughput", "latency")
            .axes("backends", "delayMs", "connections")
            .openLoopWhere(p -> true)
            .quick(BenchmarkMatrix.primary("backends", "4", "delayMs", "1", "connections", "64").withoutOpenLoop())
            // smoke, like quick, leaves the gateway's open loop to full: with eleven strategies it
            // took 3.5 of CI's 25 minutes, and its code is echo's and http's with another Traffic
            .smoke(BenchmarkMatrix.every("backends", "4", "delayMs", "0", "connections", "16").withoutOpenLoop());

    ServerUnderTest server;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        server = ServerUnderTest.start(strategy, Workload.GATEWAY, backends, ServerStats::requests,
                new Traffic.Gateway(backends, delayMs), connections);
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
        public void connect(GatewayBenchmark benchmark, ThreadParams thread) throws IOException, LoadException {
            open(benchmark.server, new Traffic.Gateway(benchmark.backends, benchmark.delayMs),
                    benchmark.connections, thread);
        }

        @TearDown(Level.Trial)
        public void disconnect() {
            closeLoop();
        }
    }

    /** One verified fan-out request (of many in flight). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void throughput(Client client, ServerMetrics metrics) throws LoadException {
        client.loop.awaitCompletion();
    }

    /** One timed fan-out request while the other connections keep the gateway busy. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long latency(Client client, ServerMetrics metrics) throws LoadException {
        return client.loop.probe();
    }
}
