package io.asyncbench.bench;

import io.asyncbench.api.Workload;
import io.asyncbench.harness.ServerStats;
import io.asyncbench.load.HttpEndpoint;
import io.asyncbench.load.IdleConnections;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.Traffic;

import java.io.IOException;
import java.time.Duration;

/**
 * Memory per connection, as the slope between two numbers of idle keep-alive HTTP connections: a
 * fresh server is warmed up as for any benchmark, then holds {@link #LOW} and then {@link #HIGH}
 * connections that each made one verified {@code GET /plaintext}; at each count the server reports
 * its resident set and its live heap after a full GC (asked for on the control channel here only,
 * never in a measured window). What the server kept from its warm-up (buffer pools, compiled
 * code, class data) is in both counts and cancels out of the slope.
 *
 * <p>The server JVM pre-touches its heap ({@link JvmFlags#SERVER}), so the resident-set slope is
 * native memory (thread stacks, direct buffers, kernel-visible allocations) and the live-heap slope
 * is Java objects; their sum is what one more idle connection costs.
 */
public final class MemoryStep {

    /** The lower connection count: above the warm-up's 64, so the warm-up's reach is in both. */
    public static final int LOW = 256;
    /** The higher connection count. */
    public static final int HIGH = 4096;

    /**
     * @param rssLow, rssHigh           VmRSS at the two counts
     * @param liveHeapLow, liveHeapHigh heap used after a full GC at the two counts
     * @param millis                    the whole step's time, server start and warm-up included
     */
    public record Result(String strategy, int low, int high, long rssLow, long rssHigh,
                         long liveHeapLow, long liveHeapHigh, long millis) {

        /** Resident-set growth per connection between the two counts. */
        public double rssBytesPerConnection() {
            return slope(rssLow, rssHigh, low, high);
        }

        /** Live-heap growth per connection between the two counts. */
        public double liveHeapBytesPerConnection() {
            return slope(liveHeapLow, liveHeapHigh, low, high);
        }

        /** Both: what one more idle connection costs the server. */
        public double bytesPerConnection() {
            return rssBytesPerConnection() + liveHeapBytesPerConnection();
        }
    }

    /** (high - low) / (nHigh - nLow): bytes per connection between two counts. */
    static double slope(long atLow, long atHigh, int low, int high) {
        if (high <= low) {
            throw new IllegalArgumentException("the higher count must exceed the lower: " + low + ", " + high);
        }
        return (atHigh - atLow) / (double) (high - low);
    }

    /** Runs the step for {@code strategy}'s http server (started here, stopped before returning). */
    public static Result measure(String strategy, int low, int high) throws IOException, LoadException {
        long start = System.nanoTime();
        Traffic traffic = new Traffic.Http(HttpEndpoint.PLAINTEXT, 1);
        try (ServerUnderTest server = ServerUnderTest.start(strategy, Workload.HTTP, 0, ServerStats::requests,
                traffic, ServerUnderTest.WARMUP_CONNECTIONS);
             IdleConnections idle = new IdleConnections(traffic, server.target(), Duration.ofSeconds(15))) {
            if (!server.measurable()) {
                throw new IllegalStateException("memory per connection needs a server process of ours");
            }
            idle.growTo(low);
            ServerStats atLow = openOnServer(server, low);
            idle.growTo(high);
            ServerStats atHigh = openOnServer(server, high);
            return new Result(strategy, low, high, atLow.rssBytes(), atHigh.rssBytes(),
                    atLow.heapUsedBytes(), atHigh.heapUsedBytes(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
    }

    /** The server's stats after a GC, once it counts {@code count} open connections. */
    private static ServerStats openOnServer(ServerUnderTest server, int count) throws IOException {
        ServerStats stats = server.statsAfterGc();
        long open = stats.connectionsOpened() - stats.connectionsClosed();
        if (open != count) {
            throw new IOException("the server counts " + open + " open connections, the client holds " + count);
        }
        return stats;
    }

    private MemoryStep() {
    }
}
