package io.asyncbench.bench;

import io.asyncbench.load.ClientLoop;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.Traffic;

import java.io.IOException;
import java.time.Duration;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

import org.openjdk.jmh.infra.ThreadParams;

/**
 * One JMH thread's share of the load generator: a {@link ClientLoop} with its share of the
 * connections. Each benchmark's {@code Client} state extends this and connects in its trial setup.
 */
public abstract class LoadClient {

    /** A server silent for this long on a connection that waits for a reply fails the benchmark. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);

    protected ClientLoop loop;

    /** Opens this thread's share of {@code connections} to the system under test. */
    protected final void open(ServerUnderTest server, Traffic traffic, int connections, ThreadParams thread)
            throws IOException, LoadException {
        int threads = thread.getThreadCount();
        int index = thread.getThreadIndex();
        if (connections < threads) {
            throw new IllegalArgumentException(threads + " load generator threads cannot share "
                    + connections + " connection(s); run with -t " + connections + " or fewer");
        }
        int share = connections / threads + (index < connections % threads ? 1 : 0);
        int first = index * (connections / threads) + Math.min(index, connections % threads);
        loop = new ClientLoop(traffic, server.target(), share, first, REPLY_TIMEOUT);
    }

    /**
     * Each iteration counts only the replies completed in it: those that arrived between
     * iterations are dropped here (see {@link ClientLoop#discardCompletedOutsideWindow()}).
     */
    @Setup(Level.Iteration)
    public void startIteration() throws LoadException {
        if (loop != null) {
            loop.discardCompletedOutsideWindow();
        }
    }

    protected final void closeLoop() {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }
}
