package io.asyncbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo's echo client: C connections, each a virtual thread running a closed loop of "write
 * one message, read it fully back, compare it byte for byte". A differing byte, a short reply, a
 * silent server or a server that does not close after the client half-closes is an error, never a
 * round trip. A smoke test, not the load generator: it does not pace requests or record latency.
 */
final class VerifyingEchoClient {

    /**
     * Messages up to this size are written before the reply is read: the kernel's socket buffers
     * take them whole. A larger message is written by a second virtual thread while this one reads,
     * or client and server would both block writing into full buffers.
     */
    static final int INLINE_WRITE_LIMIT = 64 * 1024;

    /** Errors beyond this many are counted, not described. */
    private static final int DESCRIBED_ERRORS = 10;

    /** The outcome of one {@link #run}. */
    record Result(int connections, int messageSize, long roundTrips, long elapsedNanos,
                  long errorCount, List<String> errors) {

        boolean ok() {
            return errorCount == 0;
        }

        double roundTripsPerSecond() {
            return elapsedNanos == 0 ? 0 : roundTrips * 1e9 / elapsedNanos;
        }

        /** Bytes sent in verified messages; with no errors, exactly what the server read. */
        long bytesSent() {
            return roundTrips * messageSize;
        }
    }

    private record ConnectionResult(long roundTrips, String error) {
    }

    private final InetSocketAddress server;
    private final int connections;
    private final int messageSize;
    private final int timeoutMillis;
    /** Open sockets, so that a hung connection can be closed from outside. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /**
     * @param replyTimeout how long a connection waits for the server (to connect, for the next
     *                     reply bytes, for the close after the half-close) before it is an error
     */
    VerifyingEchoClient(InetSocketAddress server, int connections, int messageSize,
                        Duration replyTimeout) {
        if (connections < 1 || messageSize < 1 || replyTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("need connections, messageSize and timeout >= 1");
        }
        this.server = server;
        this.connections = connections;
        this.messageSize = messageSize;
        this.timeoutMillis = Math.toIntExact(replyTimeout.toMillis());
    }

    /** Runs every connection for {@code duration}, then lets each finish its round trip. */
    Result run(Duration duration) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Future<ConnectionResult>> results = new ArrayList<>();
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("asyncbench-cli-echo-client-", 1).factory());
        try (ExecutorService writers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("asyncbench-cli-echo-writer-", 1).factory())) {
            for (int i = 0; i < connections; i++) {
                results.add(threads.submit(() -> exchange(deadline, writers)));
            }
            threads.shutdown();
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
        long elapsed = System.nanoTime() - start;
        return collect(results, elapsed);
    }

    private Result collect(List<Future<ConnectionResult>> results, long elapsedNanos) {
        long roundTrips = 0;
        long errorCount = 0;
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Future<ConnectionResult> future = results.get(i);
            String error;
            if (future.state() == Future.State.SUCCESS) {
                ConnectionResult result = future.resultNow();
                roundTrips += result.roundTrips();
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
        return new Result(connections, messageSize, roundTrips, elapsedNanos, errorCount,
                List.copyOf(errors));
    }

    private ConnectionResult exchange(long deadline, ExecutorService writers) {
        byte[] message = new byte[messageSize];
        byte[] reply = new byte[messageSize];
        ThreadLocalRandom.current().nextBytes(message);
        long roundTrips = 0;
        try (Socket socket = new Socket()) {
            open.add(socket);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.connect(server, timeoutMillis);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            do {
                stamp(message, roundTrips);
                Future<?> write = send(out, message, writers);
                int received = in.readNBytes(reply, 0, messageSize);
                if (received < messageSize) {
                    return failed(roundTrips, "short reply: the server closed the connection after "
                            + received + " of " + messageSize + " bytes");
                }
                if (write != null) {
                    write.get(); // done by now: the server cannot echo bytes it has not received
                }
                int at = Arrays.mismatch(message, reply);
                if (at >= 0) {
                    return failed(roundTrips, String.format(
                            "wrong reply: byte %d of %d is 0x%02x, expected 0x%02x", at, messageSize,
                            reply[at] & 0xff, message[at] & 0xff));
                }
                roundTrips++;
            } while (System.nanoTime() - deadline < 0);
            // Half-close: an echo server writes back what it has read, then closes (Workload.ECHO).
            socket.shutdownOutput();
            if (in.read() >= 0) {
                return failed(roundTrips, "the server sent bytes that were never asked for");
            }
            return new ConnectionResult(roundTrips, null);
        } catch (SocketTimeoutException silent) {
            return failed(roundTrips, "the server sent nothing for " + timeoutMillis + " ms");
        } catch (IOException e) {
            return failed(roundTrips, e.toString());
        } catch (ExecutionException writeFailed) {
            return failed(roundTrips, "write failed: " + writeFailed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return failed(roundTrips, "interrupted");
        }
    }

    private ConnectionResult failed(long roundTrips, String error) {
        return new ConnectionResult(roundTrips, "round trip " + (roundTrips + 1) + ": " + error);
    }

    /** Writes inline when the socket buffers can take it all, else on a writer thread. */
    private static Future<?> send(OutputStream out, byte[] message, ExecutorService writers)
            throws IOException {
        if (message.length <= INLINE_WRITE_LIMIT) {
            out.write(message);
            return null;
        }
        return writers.submit(() -> {
            out.write(message);
            return null;
        });
    }

    /**
     * Numbers each message in its first bytes, so a reply repeating an earlier message is caught
     * as well as a corrupted one.
     */
    private static void stamp(byte[] message, long roundTrip) {
        for (int i = 0; i < Math.min(Long.BYTES, message.length); i++) {
            message[i] = (byte) (roundTrip >>> (8 * i));
        }
    }

    private void closeAll() {
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing to unblock; nothing more to do
            }
        }
    }
}
