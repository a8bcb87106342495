package io.asyncbench.selector;

import java.nio.ByteBuffer;

/**
 * The echo workload as an asyncio Protocol. Everything is a callback on the connection's loop:
 * bytes in are written straight back, and the transport's flow control does the rest.
 */
final class SelectorEchoServer implements Protocol {

    private Transport transport;

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        // data is the loop's read buffer: the write sends it now, copying only what the kernel
        // refuses, so nothing outlives this call.
        transport.write(data);
    }

    /** The peer is not reading fast enough: stop reading from it (asyncio's drain, by hand). */
    @Override
    public void pauseWriting() {
        transport.pauseReading();
    }

    @Override
    public void resumeWriting() {
        transport.resumeReading();
    }

    /** Returning false closes the transport, which flushes what is still queued first. */
    @Override
    public boolean eofReceived() {
        return false;
    }

    @Override
    public void connectionLost(Throwable exc) {
        transport = null;
    }
}
