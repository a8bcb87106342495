package io.asyncbench.callbacks;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;

/**
 * Echo as a chain of completion handlers: read, then write (again while the write was partial),
 * then read again, each step started by the handler of the one before. No thread waits: between
 * steps a connection is just its {@link Echo} object, referenced by the pending operation.
 *
 * <p>Backpressure comes with the chain: the next read starts only once the whole buffer is
 * written, so a peer that does not read stalls its own connection with one buffer in hand.
 */
final class CallbacksEchoServer {

    static RunningServer start(ServerSpec spec) throws IOException {
        int bufferSize = spec.limits().readBufferSize();
        return CallbacksServer.start(spec, connection -> new Echo(connection, bufferSize).read());
    }

    /** The state of one connection, travelling as the attachment of each of its operations. */
    private static final class Echo {

        final CallbacksConnection connection;
        // A heap buffer, reused for every round trip: the JDK copies through a cached per-thread
        // direct buffer, which costs a memcpy but no allocation, and it goes with the connection.
        final ByteBuffer buffer;

        Echo(CallbacksConnection connection, int bufferSize) {
            this.connection = connection;
            this.buffer = ByteBuffer.allocate(bufferSize);
        }

        void read() {
            buffer.clear();
            connection.read(buffer, this, Step.READ);
        }
    }

    /**
     * The two steps of the chain. Handlers keep no state (the attachment does), so one instance
     * of each serves every connection and an operation allocates no handler.
     */
    private enum Step implements CompletionHandler<Integer, Echo> {

        READ {
            @Override
            public void completed(Integer count, Echo echo) {
                if (count < 0) {
                    echo.connection.close(); // EOF: everything read was already written back
                    return;
                }
                echo.connection.counters().bytesRead(count);
                echo.buffer.flip();
                echo.connection.write(echo.buffer, echo, WRITE);
            }
        },

        WRITE {
            @Override
            public void completed(Integer count, Echo echo) {
                echo.connection.counters().bytesWritten(count);
                if (echo.buffer.hasRemaining()) {
                    echo.connection.write(echo.buffer, echo, WRITE); // partial write: the rest
                } else {
                    echo.read();
                }
            }
        };

        @Override
        public void failed(Throwable failure, Echo echo) {
            echo.connection.fail(failure);
        }
    }

    private CallbacksEchoServer() {
    }
}
