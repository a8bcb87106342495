package io.asyncbench.bench;

import io.asyncbench.api.Workload;
import io.asyncbench.harness.ServerStats;
import io.asyncbench.load.HttpEndpoint;
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
 * <h2>HTTP: TechEmpower's plaintext and json, keep-alive, with and without pipelining</h2>
 *
 * <p>Each connection sends {@code GET /plaintext} (or {@code /json}) and checks the response:
 * status, Content-Type, Content-Length, Server and Date headers, and the body byte for byte. With
 * {@code pipeline=16} it writes 16 requests at once and waits for all 16 answers, as wrk's
 * pipelining script and TechEmpower's plaintext test do. The asyncio counterpart is an
 * {@code asyncio.Protocol} HTTP server (or aiohttp on uvloop).
 *
 * <ul>
 *   <li>{@code throughput}: requests per second over {@code connections} connections;</li>
 *   <li>{@code latency}: one request (one batch when pipelined) on one connection while the others
 *       keep the server busy.</li>
 * </ul>
 *
 * <p><b>What to expect.</b> Without pipelining each request costs a read and a write system call,
 * so the strategies that do the least work per wake-up lead; with 16 pipelined requests a
 * server that parses every request in one read and answers with one write (the event loops, Netty
 * with its flush batching) pulls far ahead of one that writes each response separately. Watch
 * server CPU per request: on two cores the load generator can saturate first.
 *
 * <p><b>Run just this one:</b>
 * <pre>
 *   ./asyncbench run --workloads http --strategies netty-epoll
 *   java -jar bench/target/benchmarks.jar HttpBenchmark.throughput -p strategy=netty-epoll -p endpoint=plaintext -p connections=256 -p pipeline=16
 * </pre>
 */
public class HttpBenchmark extends AsyncBenchmark {

    @Param({"plaintext", "json"})
    public String endpoint;

    @Param({"16", "256", "1024"})
    public int connections;

    /** Requests written at once per connection before waiting for their answers. */
    @Param({"1", "16"})
    public int pipeline;

    /**
     * What each profile measures (see {@link BenchmarkMatrix}). The open loop for plaintext without
     * pipelining. Quick: plaintext at 256 connections with and without 16-deep pipelining,
     * throughput only (its latency is the open loop's; closed-loop SampleTime is in smoke and full).
     */
    public static final BenchmarkMatrix MATRIX = BenchmarkMatrix.of(HttpBenchmark.class, "throughput", "latency")
            .axes("endpoint", "connections", "pipeline")
            .openLoopWhere(p -> p.get("endpoint").equals("plaintext") && p.get("pipeline").equals("1"))
            .quick(BenchmarkMatrix.primary("endpoint", "plaintext", "connections", "256", "pipeline", "1"),
                    BenchmarkMatrix.primary("endpoint", "plaintext", "connections", "256", "pipeline", "16"))
            .smoke(BenchmarkMatrix.every("endpoint", "plaintext", "connections", "16", "pipeline", "1"));

    ServerUnderTest server;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        server = ServerUnderTest.start(strategy, Workload.HTTP, 0, ServerStats::requests,
                new Traffic.Http(HttpEndpoint.byId(endpoint), pipeline), connections);
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
        public void connect(HttpBenchmark benchmark, ThreadParams thread) throws IOException, LoadException {
            open(benchmark.server, new Traffic.Http(HttpEndpoint.byId(benchmark.endpoint),
                    benchmark.pipeline), benchmark.connections, thread);
        }

        @TearDown(Level.Trial)
        public void disconnect() {
            closeLoop();
        }
    }

    /** One verified response (of many in flight). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void throughput(Client client, ServerMetrics metrics) throws LoadException {
        client.loop.awaitCompletion();
    }

    /** One timed request (batch of {@code pipeline}) while the other connections keep the server busy. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long latency(Client client, ServerMetrics metrics) throws LoadException {
        return client.loop.probe();
    }
}
