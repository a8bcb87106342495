package io.asyncbench.futures;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Echo as composed futures: a session is one future, a loop of rounds, each round
 * {@code read(buffer).thenCompose(write it all back)}. Stages run on the channel group's threads
 * as the IO completes; nothing blocks, nothing joins.
 *
 * <p>Backpressure comes with the composition: the next read starts only once the whole buffer is
 * written, so a peer that does not read stalls its own session with one buffer in hand.
 */
final class FuturesEchoServer {

    static RunningServer start(ServerSpec spec) throws IOException {
        int bufferSize = spec.limits().readBufferSize();
        return FuturesServer.start(spec, server -> connection -> echo(connection, bufferSize));
    }

    /** The whole session; completes at the peer's EOF, fails on a reset. */
    private static CompletableFuture<Void> echo(FuturesConnection connection, int bufferSize) {
        // One heap buffer, reused for every round: the JDK copies through a cached per-thread
        // direct buffer, which costs a memcpy but no allocation, and it goes with the connection.
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        return FuturesLoop.repeat(() -> connection.read(buffer.clear()).thenCompose(count -> {
            if (count < 0) {
                return FuturesLoop.STOP; // EOF: everything read was already written back
            }
            return connection.writeFully(buffer.flip()).thenApply(written -> true);
        }));
    }

    private FuturesEchoServer() {
    }
}
