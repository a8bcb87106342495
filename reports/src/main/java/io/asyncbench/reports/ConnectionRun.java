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

    /** The key shared with the throughput result it belongs to, and with the other strategies'. */
    String groupLabel() {
        String p = Params.label(params);
        return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1)
                + (p.isEmpty() ? "" : " · " + p);
    }
}
