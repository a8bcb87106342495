package io.asyncbench.run;

import io.asyncbench.api.Workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One JMH run of the plan: a benchmark method, a strategy and the workload parameters, e.g.
 * {@code EchoBenchmark.throughput strategy=selector size=1024 connections=64}.
 *
 * @param benchmarkClass simple name of the benchmark class in {@code io.asyncbench.bench}
 * @param method         the {@code @Benchmark} method
 * @param params         workload parameters (without {@code strategy}), as JMH param strings
 * @param openLoop       true when this throughput case's score is the peak that the open-loop
 *                       latency runs of the same parameters take their rates from
 */
public record BenchmarkCase(String benchmarkClass, String method, String strategy,
                            Map<String, String> params, boolean openLoop) {

    public static final String PACKAGE = "io.asyncbench.bench";

    public BenchmarkCase {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** {@code io.asyncbench.bench.EchoBenchmark.throughput}, as JMH names it. */
    public String benchmark() {
        return PACKAGE + "." + benchmarkClass + "." + method;
    }

    /** The workload: the class name minus "Benchmark", lowercased (the results format's rule). */
    public Workload workload() {
        return Workload.byId(benchmarkClass.substring(0, benchmarkClass.length() - "Benchmark".length()));
    }

    /** Every JMH parameter, strategy first. */
    public Map<String, String> allParams() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("strategy", strategy);
        all.putAll(params);
        return all;
    }

    /** Connections (or streams) the case opens: the most client threads it can use. */
    public int connections() {
        String c = params.getOrDefault("connections", params.get("streams"));
        return c == null ? 1 : Integer.parseInt(c);
    }

    /** "echo.throughput selector size=1024 connections=64". */
    public String label() {
        return workload().id() + "." + method + " " + strategy + " " + paramText();
    }

    public String paramText() {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    public BenchmarkCase withStrategy(String id) {
        return new BenchmarkCase(benchmarkClass, method, id, params, openLoop);
    }
}
