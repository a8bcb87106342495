package io.asyncbench.callbacks;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP relay: for each client, a connection to the backend, then two pipes, each the echo chain
 * with a different destination: read from one side, write all of it to the other, read again.
 *
 * <p>Backpressure is the shape of the chain, not a mechanism: a pipe whose destination does not
 * drain has its write pending and no read outstanding, so the source's kernel buffers fill and its
 * sender stalls, with one buffer per direction in user space. EOF on one side becomes
 * shutdownOutput on the other; the relay closes once both directions have ended, or at once when
 * either side fails.
 */
final class CallbacksProxyServer {

    static RunningServer start(ServerSpec spec) throws IOException {
        CallbacksServer server = CallbacksServer.bind(spec);
        InetSocketAddress backend = spec.backends().get(0);
        int bufferSize = spec.limits().readBufferSize();
        return server.serve(client -> Relay.open(server, client, backend, bufferSize));
    }

    /** A client and its backend connection; the attachment while the backend connects. */
    private static final class Relay {

        final CallbacksConnection client;
        final CallbacksConnection backend;
        final int bufferSize;
        final AtomicInteger directionsOpen = new AtomicInteger(2);

        private Relay(CallbacksConnection client, CallbacksConnection backend, int bufferSize) {
            this.client = client;
            this.backend = backend;
            this.bufferSize = bufferSize;
        }

        /** Connects to the backend; the client is not read until that succeeds. */
        static void open(CallbacksServer server, CallbacksConnection client, InetSocketAddress address,
                         int bufferSize) {
            CallbacksConnection backend;
            try {
                backend = server.open(); // with the same socket options as the client's side
            } catch (IOException e) {
                client.fail(e);
                return;
            }
            backend.connect(address, new Relay(client, backend, bufferSize), Connected.HANDLER);
        }

        /** A direction's source reached EOF and it was passed on: once both have, close both. */
        void directionEnded() {
            if (directionsOpen.decrementAndGet() == 0) {
                client.close();
                backend.close();
            }
        }

        /** A side failed (a reset, or our own close): the other side is closed too. */
        void failed(CallbacksConnection side, Throwable failure) {
            side.fail(failure);
            client.close();
            backend.close();
        }
    }

    /** One direction: the attachment of its reads and writes, with its one buffer. */
    private static final class Pipe {

        final Relay relay;
        final CallbacksConnection from;
        final CallbacksConnection to;
        final ByteBuffer buffer;

        Pipe(Relay relay, CallbacksConnection from, CallbacksConnection to) {
            this.relay = relay;
            this.from = from;
            this.to = to;
            this.buffer = ByteBuffer.allocate(relay.bufferSize);
        }

        void read() {
            buffer.clear();
            from.read(buffer, this, Step.READ);
        }
    }

    private enum Connected implements CompletionHandler<Void, Relay> {
        HANDLER;

        @Override
        public void completed(Void unused, Relay relay) {
            new Pipe(relay, relay.client, relay.backend).read();
            new Pipe(relay, relay.backend, relay.client).read();
        }

        @Override
        public void failed(Throwable refused, Relay relay) {
            relay.backend.fail(refused); // counted as the error
            relay.client.close();
        }
    }

    /** The two steps of each pipe; stateless, shared by every pipe. */
    private enum Step implements CompletionHandler<Integer, Pipe> {

        READ {
            @Override
            public void completed(Integer count, Pipe pipe) {
                if (count < 0) {
                    pipe.to.shutdownOutput(); // half-close passed on; the other direction goes on
                    pipe.relay.directionEnded();
                    return;
                }
                pipe.from.counters().bytesRead(count);
                pipe.buffer.flip();
                pipe.to.write(pipe.buffer, pipe, WRITE);
            }

            @Override
            public void failed(Throwable failure, Pipe pipe) {
                pipe.relay.failed(pipe.from, failure);
            }
        },

        WRITE {
            @Override
            public void completed(Integer count, Pipe pipe) {
                pipe.to.counters().bytesWritten(count);
                if (pipe.buffer.hasRemaining()) {
                    pipe.to.write(pipe.buffer, pipe, WRITE); // partial write: the rest
                } else {
                    pipe.read();
                }
            }

            @Override
            public void failed(Throwable failure, Pipe pipe) {
                pipe.relay.failed(pipe.to, failure);
            }
        }
    }

    private CallbacksProxyServer() {
    }
}
