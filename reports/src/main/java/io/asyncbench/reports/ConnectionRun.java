package io.asyncbench.reports;

import java.util.List;
import java.util.SortedMap;

/**
 * What each connection of one closed-loop throughput result completed ({@code connections/*.json},
 * written by the JMH fork), over every server JVM behind the result.
 */
record ConnectionRun(String benchmark, String workload, String strategy, SortedMap<String, String> params,
                     List<Server> servers) {

    /**
     * One server JVM's count.
     *
     * @param completed        operations per connection
     * @param longestGapMillis per connection, the longest time without a completion
     * @param countedMillis    how long the count ran (the measured iterations)
     */
    record Server(long[] completed, double[] longestGapMillis, double countedMillis) {
    }

    /** "256 × 2": connections per server JVM, times the server JVMs when more than one. */
    String connectionsText() {
        int first = servers.isEmpty() ? 0 : servers.get(0).completed().length;
        boolean same = servers.stream().allMatch(s -> s.completed().length == first);
        int total = servers.stream().mapToInt(s -> s.completed().length).sum();
        return servers.size() <= 1 ? String.valueOf(total)
                : same ? first + " × " + servers.size() : String.valueOf(total);
    }

    /** "http throughput": the workload and the benchmark method. */
    String method() {
        return workload + " " + benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** "http throughput · connections=256 ...": shared with the other strategies' runs of the same setting. */
    String groupLabel() {
        String p = Params.label(params);
        return method() + (p.isEmpty() ? "" : " · " + p);
    }
}
