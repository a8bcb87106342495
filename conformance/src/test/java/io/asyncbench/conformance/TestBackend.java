package io.asyncbench.conformance;

import io.asyncbench.api.Limits;
import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpRequest;
import io.asyncbench.api.http.HttpRequestParser;
import io.asyncbench.api.http.HttpResponses;
import io.asyncbench.api.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controllable backend for the gateway and proxy tests, written in the plainest style (blocking
 * sockets on virtual threads) so that a failure points at the strategy under test, not at it.
 * It counts what the strategy under test does to it: connections accepted, open, requests in flight.
 */
final class TestBackend implements AutoCloseable {

    enum Behaviour {
        /** Answers GET /delay?ms=M correctly after M ms, keep-alive. */
        HTTP_DELAY,
        /** Reads requests and never answers. */
        HTTP_SILENT,
        /** Answers every request 500. */
        HTTP_BROKEN,
        /** Writes back every byte; closes after EOF. */
        TCP_ECHO,
        /** Accepts and never reads: the slowest possible reader. */
        TCP_NEVER_READS,
        /** Reads and discards, pausing after every 64 KiB: a slow but steady reader. */
        TCP_SLOW_SINK
    }

    private final Behaviour behaviour;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong sunk = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    TestBackend(Behaviour behaviour) throws IOException {
        this(behaviour, 0);
    }

    /** @param receiveBuffer SO_RCVBUF for accepted sockets, or 0 for the kernel default */
    TestBackend(Behaviour behaviour, int receiveBuffer) throws IOException {
        this.behaviour = behaviour;
        listener = new ServerSocket();
        if (receiveBuffer > 0) {
            listener.setReceiveBufferSize(receiveBuffer);
        }
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        threads.submit(this::acceptLoop);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    int accepted() {
        return accepted.get();
    }

    /** Connections accepted and not yet closed by the peer (the strategy under test). */
    int openConnections() {
        return open.size();
    }

    /** The most connections of the strategy under test this backend held open at once. */
    int maxOpenConnections() {
        return maxOpen.get();
    }

    int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    int requests() {
        return requests.get();
    }

    private Void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                open.add(socket);
                maxOpen.accumulateAndGet(open.size(), Math::max);
                threads.submit(() -> serve(socket));
            } catch (IOException closed) {
                return null;
            }
        }
        return null;
    }

    private Void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            switch (behaviour) {
                case TCP_ECHO -> in.transferTo(out);
                case TCP_NEVER_READS, HTTP_SILENT -> waitForPeerToClose(in, behaviour == Behaviour.HTTP_SILENT);
                case TCP_SLOW_SINK -> drainSlowly(in);
                default -> serveHttp(in, out);
            }
        } catch (IOException | HttpException | InterruptedException peerWentAway) {
            // The strategy under test closed or reset the connection: that is what tests count.
        } finally {
            open.remove(socket);
        }
        return null;
    }

    private void waitForPeerToClose(InputStream in, boolean readAndDiscard) throws IOException, InterruptedException {
        if (readAndDiscard) {
            while (in.read(new byte[4096]) >= 0) {
                requests.incrementAndGet();
            }
        } else {
            closed.await(); // never read a byte until the test is over
        }
    }

    private void drainSlowly(InputStream in) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = in.read(chunk)) >= 0) {
            sunk.addAndGet(read);
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a reader slower than the writer
        }
    }

    /** Bytes a {@link Behaviour#TCP_SLOW_SINK} has read. */
    long bytesSunk() {
        return sunk.get();
    }

    private void serveHttp(InputStream in, OutputStream out) throws IOException, HttpException, InterruptedException {
        HttpRequestParser parser = new HttpRequestParser(Limits.DEFAULTS);
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();
        while (true) {
            HttpRequest request = parser.parse(buffer);
            if (request == null) {
                buffer.compact();
                int read = in.read(buffer.array(), buffer.position(), buffer.remaining());
                buffer.position(buffer.position() + Math.max(read, 0)).flip();
                if (read < 0) {
                    return;
                }
                continue;
            }
            requests.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                if (behaviour == Behaviour.HTTP_BROKEN) {
                    out.write(HttpResponses.error(request, HttpStatus.INTERNAL_SERVER_ERROR, null).encode());
                } else {
                    TimeUnit.MILLISECONDS.sleep(request.delayMs());
                    out.write(HttpResponses.delayed(request).encode());
                }
                out.flush();
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
    }

    /** An address on which nothing listens: connecting to it is refused. */
    static InetSocketAddress refusedAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) probe.getLocalSocketAddress();
        }
    }
}
