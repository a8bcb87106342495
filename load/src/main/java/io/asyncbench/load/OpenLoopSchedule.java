package io.asyncbench.load;

/**
 * When each request of an open-loop run is meant to leave: {@code ratePerSecond} requests a
 * second in total, spread evenly over {@code connections} connections. Connection {@code j} sends
 * at {@code start + j/rate}, then every {@code connections/rate}; together the connections send at
 * {@code start + k/rate} for k = 0, 1, 2, ... — one request every 1/rate seconds, no bursts.
 *
 * <p>These are the <em>intended</em> times. A request that leaves late because its connection was
 * still waiting for a reply has its latency measured from its intended time, which is what makes
 * the measured latency honest when the server stalls (wrk2's correction for coordinated omission).
 */
public record OpenLoopSchedule(long startNanos, double ratePerSecond, int connections) {

    public OpenLoopSchedule {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number: " + ratePerSecond);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("need at least one connection");
        }
    }

    /** Time between two requests of one connection. */
    public long intervalNanos() {
        return Math.max(1, Math.round(connections * 1e9 / ratePerSecond));
    }

    /** The intended time of connection {@code j}'s first request. */
    public long firstIntended(int j) {
        if (j < 0 || j >= connections) {
            throw new IllegalArgumentException("no connection " + j + " of " + connections);
        }
        return startNanos + Math.round(j * 1e9 / ratePerSecond);
    }

    /** The intended time of connection {@code j}'s {@code n}-th request (n = 0 first). */
    public long intended(int j, long n) {
        return firstIntended(j) + n * intervalNanos();
    }
}
