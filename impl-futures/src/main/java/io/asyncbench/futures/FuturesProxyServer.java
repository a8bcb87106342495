package io.asyncbench.futures;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP relay as composed futures: connect to the backend, then two pumps, each the echo loop
 * with two ends ({@code read(from) -> writeFully(to) -> read again}), gathered.
 *
 * <p>Backpressure is the composition itself: a pump reads again only once the last buffer is
 * fully written, so a slow reader on one side stalls the writer on the other with one buffer per
 * direction in hand. A pump that reads end of stream half-closes the other side and ends; the
 * relay ends when both have, or at once when either fails (a reset), closing both sockets.
 */
final class FuturesProxyServer {

    static RunningServer start(ServerSpec spec) throws IOException {
        InetSocketAddress backendAddress = spec.backends().get(0);
        int bufferSize = spec.limits().readBufferSize();
        // A refused backend fails the session: the client is closed and that is counted as an error.
        return FuturesServer.start(spec, server -> client -> server.connect(backendAddress)
                .thenCompose(backend -> relay(client, backend, bufferSize)));
    }

    /** Completes when both directions are done; the client's end is closed by the server. */
    private static CompletableFuture<Void> relay(FuturesConnection client, FuturesConnection backend,
                                                 int bufferSize) {
        CompletableFuture<Void> relayed = FuturesGather.all(
                pump(client, backend, bufferSize),
                pump(backend, client, bufferSize));
        // One error per failed relay is counted, on the client's connection, by the server.
        relayed.whenComplete((done, failure) -> backend.close());
        return relayed;
    }

    /** Copies {@code from} to {@code to} until end of stream, then half-closes {@code to}. */
    private static CompletableFuture<Void> pump(FuturesConnection from, FuturesConnection to,
                                                int bufferSize) {
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        return FuturesLoop.repeat(() -> from.read(buffer.clear()).thenCompose(count -> {
            if (count < 0) {
                return FuturesLoop.STOP;
            }
            return to.writeFully(buffer.flip()).thenApply(written -> true);
        })).thenCompose(eof -> to.shutdownOutput());
    }

    private FuturesProxyServer() {
    }
}
