package io.asyncbench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A connection that sends batches of requests and checks each reply with its {@link Exchange}. */
final class RequestConnection extends ClientConnection {

    private final Exchange exchange;
    /** The unsent rest of the current batch, or null when it is all written. */
    private ByteBuffer pending;
    private boolean inFlight;
    /** Where this batch's latency counts from: the send time, or in open loop the intended time. */
    long measureFrom;
    /** Open loop: the intended send time of this connection's next batch. */
    long nextIntended;
    /** Probe mode: this connection only sends when asked. */
    boolean manual;

    RequestConnection(ClientLoop loop, int index, SocketChannel channel, Exchange exchange) {
        super(loop, index, channel);
        this.exchange = exchange;
    }

    boolean inFlight() {
        return inFlight;
    }

    /** Writes the next batch (as much as the socket takes now; the rest when it is writable). */
    void send(long measureFrom) throws IOException {
        this.measureFrom = measureFrom;
        inFlight = true;
        lastActivity = loop.now;
        ByteBuffer batch = exchange.nextBatch();
        channel.write(batch);
        if (batch.hasRemaining()) {
            pending = batch;
            interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    @Override
    void onWritable() throws IOException {
        if (pending != null) {
            channel.write(pending);
            lastActivity = loop.now;
            if (pending.hasRemaining()) {
                return;
            }
            pending = null;
        }
        interest(SelectionKey.OP_READ);
    }

    @Override
    void onReadable(ByteBuffer buffer) throws IOException, LoadException {
        // A few reads per readiness event: large echo messages arrive in many segments.
        for (int reads = 0; reads < 4; reads++) {
            int n = read(buffer);
            if (n == 0) {
                return;
            }
            int completed;
            try {
                completed = exchange.consume(buffer);
            } catch (LoadException wrong) {
                throw new LoadException("connection " + index + ": " + wrong.getMessage(), wrong);
            }
            if (completed > 0) {
                loop.completed(this, completed);
            }
            if (inFlight && exchange.batchComplete()) {
                inFlight = false;
                loop.batchDone(this);
            }
            if (n < buffer.capacity()) {
                return; // drained the socket
            }
        }
    }

    @Override
    boolean awaitingServer() {
        return inFlight;
    }

    @Override
    String progress() {
        return exchange.progress();
    }
}
