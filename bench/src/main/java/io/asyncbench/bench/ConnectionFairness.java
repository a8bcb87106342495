package io.asyncbench.bench;

import io.asyncbench.load.ConnectionCounts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Per-connection completions of a closed-loop throughput benchmark, written by the JMH fork to a
 * file of its own: a server that starves some connections while the average looks fine must be
 * seen doing it. {@code asyncbench run} names the folder (-D{@value #DIR}, the results folder's
 * {@code connections/}); without it nothing is written.
 *
 * <p>One file per fork, {@code <Benchmark>__<strategy>__<params>__pid<N>.json}, rewritten after
 * each server of the trial (see {@link ServerUnderTest#freshServerIfDue}):
 * <pre>
 *   {"benchmark": "io.asyncbench.bench.HttpBenchmark.throughput", "mode": "thrpt",
 *    "params": {"strategy": "selector", "connections": "256", ...},
 *    "servers": [{"countedMillis": 900.5,
 *                 "completed": [812, 790, ...],          one per connection, in connection order
 *                 "longestGapMillis": [3.1, 2.7, ...]}]} longest time without a completion
 * </pre>
 * Each JMH thread drives a share of the connections; the file is written once every thread has
 * handed in its share for that server.
 */
public final class ConnectionFairness {

    /** The folder the forks write into. */
    public static final String DIR = "asyncbench.connectionsDir";


    /** The shares handed in so far for the server being counted, by first connection index. */
    private static final Map<Integer, ConnectionCounts> shares = new TreeMap<>();
    private static int sharesOf = -1;
    private static ObjectNode document;

    private ConnectionFairness() {
    }

    /** One thread's counts for server {@code repetition}; the last thread in writes the file. */
    static synchronized void publish(BenchmarkParams benchmark, int repetition, ThreadParams thread,
                                     ConnectionCounts counts) throws IOException {
        String dir = System.getProperty(DIR, "").trim();
        if (dir.isEmpty()) {
            return;
        }
        if (sharesOf != repetition) {
            shares.clear();
            sharesOf = repetition;
        }
        shares.put(counts.firstIndex(), counts);
        if (shares.size() < thread.getThreadCount()) {
            return;
        }
        if (document == null) {
            document = header(benchmark);
        }
        ((ArrayNode) document.get("servers")).add(server(shares));
        shares.clear();
        BenchmarkJsonFiles.writeAtomically(Path.of(dir).resolve(fileName(benchmark)), document);
    }

    private static ObjectNode header(BenchmarkParams benchmark) {
        ObjectNode doc = BenchmarkJsonFiles.identity(benchmark);
        doc.putArray("servers");
        return doc;
    }

    /** Every thread's share, in connection order. */
    static ObjectNode server(Map<Integer, ConnectionCounts> byFirstIndex) {
        ObjectNode server = BenchmarkJsonFiles.JSON.createObjectNode();
        ArrayNode completed = server.putArray("completed");
        ArrayNode gaps = server.putArray("longestGapMillis");
        long counted = 0;
        for (ConnectionCounts share : byFirstIndex.values()) {
            for (int i = 0; i < share.connections(); i++) {
                completed.add(share.completed()[i]);
                gaps.add(Math.round(share.longestGapNanos()[i] / 1e4) / 100.0);
            }
            counted = Math.max(counted, share.countedNanos());
        }
        server.put("countedMillis", Math.round(counted / 1e4) / 100.0);
        return server;
    }

    static String fileName(BenchmarkParams benchmark) {
        String name = benchmark.getBenchmark();
        StringBuilder s = new StringBuilder(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
        for (String key : benchmark.getParamsKeys()) {
            s.append("__").append(key).append('=').append(benchmark.getParam(key));
        }
        s.append("__pid").append(ProcessHandle.current().pid()).append(".json");
        return s.toString().replaceAll("[^A-Za-z0-9_.=-]", "-");
    }
}
