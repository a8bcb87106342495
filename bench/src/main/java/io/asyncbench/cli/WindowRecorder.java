package io.asyncbench.cli;

import io.asyncbench.harness.StatsClient;
import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.HostPort;
import io.asyncbench.load.ConnectRoundTrip;
import io.asyncbench.load.OpenLoop;
import io.asyncbench.run.LoadHostResult;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code load --out} records besides the totals: the round trip to the server, measured
 * before the load, and at each second's boundary of the measured window the operations so far
 * and, with {@code --stats}, the server's stats line, so that {@code merge} can line up several
 * hosts' windows and divide the server's CPU by everyone's operations.
 */
final class WindowRecorder implements OpenLoop.WindowProbe, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final StatsClient stats;
    private final ConnectRoundTrip roundTrip;
    private final List<LoadHostResult.Boundary> boundaries = new ArrayList<>();
    private long operationsAtStart;
    private IOException statsFailure;

    private WindowRecorder(StatsClient stats, ConnectRoundTrip roundTrip) {
        this.stats = stats;
        this.roundTrip = roundTrip;
    }

    /**
     * Measures the round trip to {@code target} and, if {@code statsAddress} is not null, connects
     * to the stats port with {@code token}: a wrong token is an error now, before any load.
     */
    static WindowRecorder open(InetSocketAddress statsAddress, String token, InetSocketAddress target) {
        ConnectRoundTrip rtt;
        try {
            rtt = ConnectRoundTrip.measure(target, LoadCommand.ROUND_TRIP_SAMPLES, TIMEOUT);
        } catch (IOException unreachable) {
            throw new CliException(ExitStatus.FAILED, "cannot connect to " + HostPort.format(target) + ": "
                    + unreachable.getMessage());
        }
        if (statsAddress == null) {
            return new WindowRecorder(null, rtt);
        }
        try {
            StatsClient client = StatsClient.connect(statsAddress, token, TIMEOUT);
            client.line(false);
            return new WindowRecorder(client, rtt);
        } catch (IOException refused) {
            throw new CliException(ExitStatus.FAILED, "--stats " + HostPort.format(statsAddress) + ": "
                    + refused.getMessage());
        }
    }

    /** Called by the load at each boundary, from a thread of its own. */
    @Override
    public void at(int boundary, long operations) {
        Instant at = Instant.now();
        if (boundary == 0) {
            operationsAtStart = operations;
        }
        String line = null;
        if (stats != null && statsFailure == null) {
            try {
                line = stats.line(false);
            } catch (IOException failed) {
                statsFailure = failed;
            }
        }
        synchronized (boundaries) {
            boundaries.add(new LoadHostResult.Boundary(at, operations - operationsAtStart, line));
        }
    }

    ConnectRoundTrip roundTrip() {
        return roundTrip;
    }

    List<LoadHostResult.Boundary> boundaries() {
        synchronized (boundaries) {
            return List.copyOf(boundaries);
        }
    }

    /** Why the stats port stopped answering during the window, or null. */
    IOException statsFailure() {
        return statsFailure;
    }

    @Override
    public void close() {
        if (stats != null) {
            stats.close();
        }
    }
}
