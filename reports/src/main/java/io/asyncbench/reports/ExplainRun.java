package io.asyncbench.reports;

import java.util.SortedMap;

/**
 * One explained window ({@code explain/*.json}, written by the JMH fork for {@code run --explain}):
 * which benchmark and server, the operations the server counted in the window, the JFR recording
 * (or why there is none) and the kernel's counts of the server's threads (or why there are none).
 *
 * @param params           the benchmark's parameters without the strategy
 * @param kind             {@code jvm}, or {@code external} (a server outside the JVM: no recording)
 * @param windowMillis     the time between the server's stats at the window's edges
 * @param recording        the recording's file name in {@code explain/}, or null
 * @param recordingProblem why there is no recording, or null
 * @param kernel           the kernel's counts, or null
 * @param kernelProblem    why there are none, or null
 */
record ExplainRun(String file, String benchmark, String workload, String strategy, SortedMap<String, String> params,
                  String kind, long operations, double windowMillis, String recording, String recordingProblem,
                  Kernel kernel, String kernelProblem) {

    /**
     * The kernel's counts of the server's threads, read right before and right after the server's
     * stats; {@code windowMillis} is the time between the two readings.
     */
    record Kernel(long readSyscalls, long writeSyscalls, long voluntarySwitches, long involuntarySwitches,
                  int threads, double windowMillis) {
    }

    /** "http throughput": the workload and the benchmark method. */
    String method() {
        return workload + " " + benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** "http throughput · connections=256 ...": the same for every strategy's run of the setting. */
    String groupLabel() {
        String p = Params.label(params);
        return method() + (p.isEmpty() ? "" : " · " + p);
    }
}
