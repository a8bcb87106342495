package io.asyncbench.reports;

import java.util.Map;
import java.util.SortedMap;

/**
 * One entry of JMH's JSON: one benchmark method, in one mode, for one strategy and one set of
 * parameters. {@code params} holds every parameter but {@code strategy}.
 */
record BenchmarkResult(
        String benchmark,
        String workload,
        String method,
        Mode mode,
        String strategy,
        SortedMap<String, String> params,
        Metric primary,
        Map<String, Metric> secondary,
        int threads,
        int forks,
        int warmupIterations,
        int measurementIterations) {

    /** The key shared by every strategy's result for the same measurement. */
    GroupKey group() {
        return new GroupKey(workload, benchmark, method, mode, params);
    }

    /** The key of this exact result, to match it against the same one in a baseline run. */
    String identity() {
        return benchmark + " " + mode.jmhName + " " + strategy + " " + Params.label(params);
    }

    /**
     * A secondary metric by its name, with or without the "·" older JMH versions put before a
     * profiler's metrics ("gc.alloc.rate.norm" finds "·gc.alloc.rate.norm"); an exact match, so that
     * "errors" never finds "serverErrors". Null when absent. Read it through {@link Secondary#of},
     * which knows which process a metric describes.
     */
    Metric secondaryNamed(String name) {
        Metric m = secondary.get(name);
        return m != null ? m : secondary.get("·" + name);
    }

    /** Workload, benchmark and parameters of one comparison across strategies. */
    record GroupKey(String workload, String benchmark, String method, Mode mode, SortedMap<String, String> params) {

        String label() {
            String p = Params.label(params);
            return method + " (" + mode.jmhName + ")" + (p.isEmpty() ? "" : " " + p);
        }
    }
}
