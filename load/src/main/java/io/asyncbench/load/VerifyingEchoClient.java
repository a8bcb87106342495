package io.asyncbench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo's echo client: C connections, each a virtual thread running a closed loop of "write
 * one message, read it fully back, compare it byte for byte" ({@link EchoConnection}). A differing byte, a short reply, a
 * silent server or a server that does not close after the client half-closes is an error, never a
 * round trip. A smoke test, not the load generator: it does not pace requests or record latency.
 *
 * <p>Each connection's first round trip is a warm-up: the clock starts once every connection is
 * connected and has had one verified reply, so connecting and the server's first-use costs (class
 * loading, lazy pools) are checked but not timed.
 */
public final class VerifyingEchoClient {

    /** Errors beyond this many are counted, not described. */
    private static final int DESCRIBED_ERRORS = 10;

    /**
     * The outcome of one {@link #run}.
     *
     * @param roundTrips   verified round trips in the timed window (warm-ups excluded)
     * @param elapsedNanos the timed window: from the start line until the last connection ended
     * @param bytesSent    bytes of all verified messages, warm-ups included; with no errors,
     *                     exactly what the server read and wrote
     */
    public record Result(int connections, int messageSize, long roundTrips, long elapsedNanos,
                  long bytesSent, long errorCount, List<String> errors) {

        public boolean ok() {
            return errorCount == 0;
        }

        public double roundTripsPerSecond() {
            return elapsedNanos <= 0 ? 0 : roundTrips * 1e9 / elapsedNanos;
        }
    }

    /** @param verified round trips verified on this connection, the warm-up included */
    private record ConnectionResult(long verified, String error) {
    }

    private final InetSocketAddress server;
    private final int connections;
    private final int messageSize;
    private final int timeoutMillis;
    /** Open sockets, so that a hung connection can be closed from outside. */
    private final Set<EchoConnection> open = ConcurrentHashMap.newKeySet();

    /**
     * @param replyTimeout how long a connection waits for the server (to connect, for the next
     *                     reply bytes, for the close after the half-close) before it is an error
     */
    public VerifyingEchoClient(InetSocketAddress server, int connections, int messageSize,
                        Duration replyTimeout) {
        if (connections < 1 || messageSize < 1 || replyTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("need connections, messageSize and timeout >= 1");
        }
        this.server = server;
        this.connections = connections;
        this.messageSize = messageSize;
        this.timeoutMillis = Math.toIntExact(replyTimeout.toMillis());
    }

    /** Warms every connection up, runs them all for {@code duration}, lets each finish its round trip. */
    public Result run(Duration duration) throws InterruptedException {
        StartLine startLine = new StartLine(connections);
        List<Future<ConnectionResult>> results = new ArrayList<>();
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("asyncbench-cli-echo-client-", 1).factory());
        long start;
        try {
            for (int i = 0; i < connections; i++) {
                results.add(threads.submit(() -> exchange(startLine)));
            }
            threads.shutdown();
            // Connect plus one reply, each bounded by the timeout; a straggler past that is
            // left behind and will fail on its own timeout.
            startLine.ready.await(3L * timeoutMillis, TimeUnit.MILLISECONDS);
            start = System.nanoTime();
            startLine.go(start + duration.toNanos());
            long grace = duration.toMillis() + 3L * timeoutMillis;
            if (!threads.awaitTermination(grace, TimeUnit.MILLISECONDS)) {
                // Each blocking call has a timeout, so this is a hang we did not foresee: closing
                // the sockets wakes every blocked read and write.
                closeAll();
                threads.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException interrupted) {
            closeAll();
            threads.shutdownNow();
            throw interrupted;
        }
        return collect(results, System.nanoTime() - start);
    }

    /** Every connection arrives after its warm-up; the timed window starts when all have. */
    private static final class StartLine {
        final CountDownLatch ready;
        private final CountDownLatch go = new CountDownLatch(1);
        private long deadline; // written before go opens, read after: the latch orders both

        StartLine(int connections) {
            ready = new CountDownLatch(connections);
        }

        void go(long deadlineNanos) {
            deadline = deadlineNanos;
            go.countDown();
        }

        long awaitGo() throws InterruptedException {
            go.await();
            return deadline;
        }
    }

    private Result collect(List<Future<ConnectionResult>> results, long elapsedNanos) {
        long roundTrips = 0;
        long verified = 0;
        long errorCount = 0;
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Future<ConnectionResult> future = results.get(i);
            String error;
            if (future.state() == Future.State.SUCCESS) {
                ConnectionResult result = future.resultNow();
                verified += result.verified();
                roundTrips += Math.max(0, result.verified() - 1);
                error = result.error();
            } else if (future.state() == Future.State.FAILED) {
                error = "client failed: " + future.exceptionNow();
            } else {
                error = "hung; closed by the watchdog";
            }
            if (error != null) {
                errorCount++;
                if (errors.size() < DESCRIBED_ERRORS) {
                    errors.add("connection " + (i + 1) + ": " + error);
                }
            }
        }
        return new Result(connections, messageSize, roundTrips, elapsedNanos,
                verified * messageSize, errorCount, List.copyOf(errors));
    }

    private ConnectionResult exchange(StartLine startLine) {
        byte[] message = new byte[messageSize];
        ThreadLocalRandom.current().nextBytes(message);
        long verified = 0;
        boolean arrived = false;
        try (EchoConnection connection = EchoConnection.connect(server, Duration.ofMillis(timeoutMillis))) {
            open.add(connection);
            EchoCheck.stamp(message, verified + 1);
            connection.echo(message, verified + 1);
            verified++;
            startLine.ready.countDown();
            arrived = true;
            long deadline = startLine.awaitGo();
            while (System.nanoTime() - deadline < 0) {
                EchoCheck.stamp(message, verified + 1);
                connection.echo(message, verified + 1);
                verified++;
            }
            // Half-close: an echo server writes back what it has read, then closes (Workload.ECHO).
            connection.shutdownOutput();
            return switch (connection.endAfter(Duration.ofMillis(timeoutMillis))) {
                case END_OF_STREAM -> new ConnectionResult(verified, null);
                case MORE_DATA -> failed(verified, "the server sent bytes that were never asked for");
                case STILL_OPEN -> failed(verified, "the server sent nothing for " + timeoutMillis + " ms");
                case RESET -> failed(verified, "the server reset the connection instead of closing it");
            };
        } catch (LoadException wrong) {
            return failed(verified, wrong.getMessage());
        } catch (SocketTimeoutException silent) {
            return failed(verified, "the server sent nothing for " + timeoutMillis + " ms");
        } catch (IOException e) {
            return failed(verified, e.toString());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return failed(verified, "interrupted");
        } finally {
            if (!arrived) {
                startLine.ready.countDown(); // failed before the start line: do not hold the others
            }
        }
    }

    /** @param verified round trips verified before the one that failed */
    private static ConnectionResult failed(long verified, String error) {
        return new ConnectionResult(verified, "round trip " + (verified + 1) + ": " + error);
    }

    private void closeAll() {
        for (EchoConnection connection : open) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing to unblock; nothing more to do
            }
        }
    }
}
