package io.asyncbench.selector;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The proxy workload: two transports relaying to each other, with asyncio's flow control and
 * nothing else. This protocol is the client's side; {@link BackendSide} is the backend's.
 *
 * <ul>
 *   <li>Bytes read on one side are written to the other at once: {@link Transport#write} sends
 *       them, copying only what the kernel refuses, so nothing is held between callbacks.</li>
 *   <li>When one side's write buffer rises above the high water mark, its protocol is told to
 *       {@code pauseWriting}, and it pauses reading the <em>other</em> side; {@code resumeWriting}
 *       at the low water mark resumes it. One direction thus holds at most a read buffer plus the
 *       high water mark, however slow the reader on the far end.</li>
 *   <li>An EOF from one side becomes {@link Transport#writeEof()} on the other (a half-close);
 *       once both sides have sent EOF, both are closed. A reset on one side aborts the other.</li>
 * </ul>
 */
final class SelectorProxyServer implements Protocol {

    private final InetSocketAddress backendAddress;
    private final SocketOptions options;
    private final ServerCounters counters;
    private Transport client;
    private Transport backend;
    private CompletableFuture<Transport> connecting;
    private boolean clientSentEof;
    private boolean backendSentEof;

    SelectorProxyServer(ServerSpec spec, ServerCounters counters) {
        this.backendAddress = spec.backends().get(0);
        this.options = spec.socketOptions(); // both sockets get the same options
        this.counters = counters;
    }

    @Override
    public void connectionMade(Transport transport) {
        client = transport;
        client.pauseReading(); // nothing to relay to until the backend answers
        connecting = transport.loop().createConnection(backendAddress, BackendSide::new, options,
                counters);
        connecting.whenComplete((connected, failure) -> {
            connecting = null;
            if (failure != null && !client.isClosing()) {
                counters.error(); // refused or unreachable: the client cannot be served
                client.abort();
            }
        });
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        backend.write(data);
    }

    @Override
    public boolean eofReceived() {
        clientSentEof = true;
        backend.writeEof();
        closeIfBothSentEof();
        return true; // keep the client's other direction open for what the backend still sends
    }

    /** The client reads slower than the backend sends: stop reading the backend. */
    @Override
    public void pauseWriting() {
        backend.pauseReading();
    }

    @Override
    public void resumeWriting() {
        backend.resumeReading();
    }

    @Override
    public void connectionLost(Throwable exc) {
        if (backend != null) {
            closeOther(backend, exc);
        } else if (connecting != null) {
            connecting.cancel(false);
        }
    }

    private void closeIfBothSentEof() {
        if (clientSentEof && backendSentEof) {
            client.close(); // each flushes what it still holds first
            backend.close();
        }
    }

    /** A side is gone: after an error the other is aborted, after a regular close it is closed. */
    private static void closeOther(Transport other, Throwable exc) {
        if (exc == null) {
            other.close();
        } else {
            other.abort();
        }
    }

    /** The backend's side of the pair: the mirror image of the client's. */
    private final class BackendSide implements Protocol {

        @Override
        public void connectionMade(Transport transport) {
            backend = transport;
            if (client.isClosing()) {
                transport.abort(); // the client left while we connected
            } else {
                client.resumeReading();
            }
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            client.write(data);
        }

        @Override
        public boolean eofReceived() {
            backendSentEof = true;
            client.writeEof();
            closeIfBothSentEof();
            return true;
        }

        /** The backend reads slower than the client sends: stop reading the client. */
        @Override
        public void pauseWriting() {
            client.pauseReading();
        }

        @Override
        public void resumeWriting() {
            client.resumeReading();
        }

        @Override
        public void connectionLost(Throwable exc) {
            closeOther(client, exc);
        }
    }
}
