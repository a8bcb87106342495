package io.asyncbench.bench;

import io.asyncbench.load.ClientLoop;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.Traffic;

import java.io.IOException;
import java.time.Duration;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * One JMH thread's share of the load generator: a {@link ClientLoop} with its share of the
 * connections. Each benchmark's {@code Client} state extends this and connects in its trial setup.
 *
 * <p>Around every measured iteration of a throughput benchmark it also counts what each
 * connection completed ({@link ConnectionFairness}), and when the server was replaced by a fresh
 * one for the next repetition ({@link ServerUnderTest#freshServerIfDue}) it reconnects to it.
 */
public abstract class LoadClient {

    /** A server silent for this long on a connection that waits for a reply fails the benchmark. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);

    protected ClientLoop loop;
    private ServerUnderTest connectedTo;
    private Traffic traffic;
    private int connections;
    private ThreadParams thread;
    private boolean counting;

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
        server.register(loop);
        server.attach(this);
        this.connectedTo = server;
        this.traffic = traffic;
        this.connections = connections;
        this.thread = thread;
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
            if (connectedTo != null) {
                connectedTo.unregister(loop);
            }
            loop = null;
        }
    }

    /**
     * Connects this thread's share to a fresh server. Called by the thread that replaces the server,
     * in the benchmark's iteration setup, while this client's own thread waits for that setup: so
     * the connecting is over before any figure of the iteration is taken.
     */
    void reconnect(ServerUnderTest fresh) throws IOException, LoadException {
        closeLoop();
        open(fresh, traffic, connections, thread);
        counting = false;
    }

    /** Starts or resumes the count per connection (measured throughput only). */
    @Setup(Level.Iteration)
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        if (!countsConnections(benchmark, iteration) || loop == null) {
            return;
        }
        if (counting) {
            loop.resumeCounting();
        } else {
            loop.countConnections();
            counting = true;
        }
    }

    /** Pauses the count; after the last measured iteration on this server, hands it to {@link ConnectionFairness}. */
    @TearDown(Level.Iteration)
    public void afterIteration(BenchmarkParams benchmark, IterationParams iteration) throws IOException {
        if (!counting || !countsConnections(benchmark, iteration) || loop == null) {
            return;
        }
        loop.pauseCounting();
        if (ServerUnderTest.lastMeasuredIterationOnThisServer(connectedTo, iteration)) {
            ConnectionFairness.publish(benchmark, connectedTo.repetition(), thread, loop.connectionCounts());
        }
    }

    /** Closed-loop throughput is where every connection asks as fast as it is served. */
    private static boolean countsConnections(BenchmarkParams benchmark, IterationParams iteration) {
        return benchmark.getMode() == Mode.Throughput && iteration.getType() == IterationType.MEASUREMENT;
    }
}
