package io.asyncbench.selector;

import io.asyncbench.api.ServerCounters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * asyncio's {@code _SelectorSocketTransport}: a non-blocking {@link SocketChannel} driven by a
 * {@link SelectorEventLoop}, with a write buffer and high/low water marks. Counts its IO in the
 * {@link ServerCounters} it is given: bytes where the socket returns them, the close where the
 * socket is closed, an error where the connection ends abnormally.
 *
 * <p>Writing tries the socket first and buffers only what the kernel refuses; while backed up,
 * small writes are merged into the last chunk, and the chunks go out in gathering writes.
 *
 * <p>States: open, then closing (no more reading; {@link #close()} still flushes the buffer), then
 * lost (no more IO; {@link Protocol#connectionLost} is queued), then finished (socket closed).
 */
final class SelectorSocketTransport implements Transport {

    /**
     * Reads per readiness event while the buffer comes back full, as Netty's maxMessagesPerRead:
     * a bulk sender is drained without a select per 16 KiB, and a bound keeps the loop fair.
     */
    private static final int MAX_READS_PER_EVENT = 16;
    /**
     * The smallest chunk the write buffer allocates. Small writes made while the socket is backed
     * up (an HTTP server's responses to a client that reads slowly) are appended to the last
     * chunk while it has room, instead of each becoming a chunk and, later, a system call.
     */
    private static final int MIN_CHUNK = 4 * 1024;
    /** Chunks handed to one gathering write (writev); far below the kernel's IOV_MAX of 1024. */
    private static final int MAX_GATHER = 16;

    private final SelectorEventLoop loop;
    private final SocketChannel channel;
    private final Protocol protocol;
    private final ServerCounters counters;
    private final Runnable onReadable = this::readReady;
    private final Runnable onWritable = this::writeReady;
    /** What the kernel did not accept yet, oldest first; each chunk is a private copy. */
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>(4);
    /** Reused array of chunks for one gathering write, cleared after each so nothing lingers. */
    private ByteBuffer[] gather;
    private long bufferSize;
    private int highWater;
    private int lowWater;
    private boolean protocolPaused;
    private boolean readingPaused;
    private boolean eofReceived;
    private boolean eofRequested;
    private boolean closing;
    private boolean lost;
    private boolean finished;

    /** Must run on {@code loop}'s thread; the channel must be connected and non-blocking. */
    SelectorSocketTransport(SelectorEventLoop loop, SocketChannel channel, Protocol protocol,
                            ServerCounters counters) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.counters = counters;
        this.highWater = loop.limits().writeHighWaterMark();
        this.lowWater = loop.limits().writeLowWaterMark();
        loop.transportOpened(this);
        // As asyncio: connectionMade first, and only then start reading.
        loop.callSoon(this::connectionMade);
        loop.callSoon(this::startReading);
    }

    @Override
    public SelectorEventLoop loop() {
        return loop;
    }

    // ---------------------------------------------------------------- reading

    private void connectionMade() {
        try {
            protocol.connectionMade(this);
        } catch (RuntimeException | Error e) {
            fatalError(e, "protocol.connectionMade() failed");
        }
    }

    private void startReading() {
        if (isReading() && !eofReceived) {
            loop.addReader(channel, onReadable);
        }
    }

    private void readReady() {
        ByteBuffer data = loop.readBuffer();
        int capacity = data.capacity();
        for (int reads = 0; reads < MAX_READS_PER_EVENT && isReading(); reads++) {
            data.clear();
            int n;
            try {
                n = channel.read(data);
            } catch (IOException e) {
                fatalError(e, "read failed");
                return;
            }
            if (n < 0) {
                readEof();
                return;
            }
            if (n == 0) {
                return;
            }
            counters.bytesRead(n);
            data.flip();
            try {
                protocol.dataReceived(data);
            } catch (RuntimeException | Error e) {
                fatalError(e, "protocol.dataReceived() failed");
                return;
            }
            if (n < capacity) {
                return; // the socket is most likely drained; don't pay a read that returns 0
            }
        }
    }

    private void readEof() {
        eofReceived = true;
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (RuntimeException | Error e) {
            fatalError(e, "protocol.eofReceived() failed");
            return;
        }
        if (keepOpen) {
            loop.removeReader(channel); // nothing more will come
        } else {
            close();
        }
    }

    @Override
    public void pauseReading() {
        if (closing || readingPaused) {
            return;
        }
        readingPaused = true;
        loop.removeReader(channel);
    }

    @Override
    public void resumeReading() {
        if (closing || !readingPaused) {
            return;
        }
        readingPaused = false;
        if (!eofReceived) {
            loop.addReader(channel, onReadable);
        }
    }

    @Override
    public boolean isReading() {
        return !closing && !readingPaused;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(ByteBuffer data) {
        if (eofRequested) {
            throw new IllegalStateException("write() after writeEof()");
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (lost) {
            data.position(data.limit());
            return;
        }
        if (buffer.isEmpty()) {
            // The happy path: the kernel takes it all and nothing is copied.
            try {
                int n = channel.write(data);
                if (n > 0) {
                    counters.bytesWritten(n);
                }
            } catch (IOException e) {
                data.position(data.limit());
                fatalError(e, "write failed");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            loop.addWriter(channel, onWritable);
        }
        int remaining = data.remaining();
        ByteBuffer tail = buffer.peekLast();
        if (tail != null && tail.capacity() - tail.limit() >= remaining) {
            // Append behind the tail's unsent bytes: [position, limit) grows to take the new ones.
            int unsent = tail.position();
            tail.position(tail.limit()).limit(tail.capacity());
            tail.put(data);
            tail.limit(tail.position()).position(unsent);
        } else {
            buffer.add(ByteBuffer.allocate(Math.max(remaining, MIN_CHUNK)).put(data).flip());
        }
        bufferSize += remaining;
        maybePauseProtocol();
    }

    private void writeReady() {
        if (lost) {
            return;
        }
        try {
            flushBuffer();
        } catch (IOException e) {
            loop.removeWriter(channel);
            clearBuffer();
            fatalError(e, "write failed");
            return;
        }
        maybeResumeProtocol(); // may write, and so append to the buffer
        if (buffer.isEmpty() && !lost) {
            loop.removeWriter(channel);
            if (closing) {
                lost = true;
                callConnectionLost(null);
            } else if (eofRequested) {
                shutdownOutput();
            }
        }
    }

    /**
     * Sends as much of the buffer as the kernel takes. Several chunks go out in one gathering
     * write (writev), so a backed-up HTTP connection's queued responses cost one system call,
     * not one per chunk.
     */
    private void flushBuffer() throws IOException {
        while (!buffer.isEmpty()) {
            long offered;
            long n;
            if (buffer.size() == 1) {
                ByteBuffer only = buffer.peekFirst();
                offered = only.remaining();
                n = channel.write(only);
            } else {
                if (gather == null) {
                    gather = new ByteBuffer[MAX_GATHER];
                }
                int count = 0;
                offered = 0;
                for (ByteBuffer chunk : buffer) {
                    gather[count++] = chunk;
                    offered += chunk.remaining();
                    if (count == MAX_GATHER) {
                        break;
                    }
                }
                try {
                    n = channel.write(gather, 0, count);
                } finally {
                    Arrays.fill(gather, 0, count, null);
                }
            }
            if (n > 0) {
                counters.bytesWritten(n);
                bufferSize -= n;
            }
            ByteBuffer head;
            while ((head = buffer.peekFirst()) != null && !head.hasRemaining()) {
                buffer.pollFirst();
            }
            if (n < offered) {
                return; // the kernel's send buffer is full; wait for the next writable event
            }
        }
    }

    @Override
    public void writeEof() {
        if (closing || eofRequested) {
            return;
        }
        eofRequested = true;
        if (buffer.isEmpty()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "shutdownOutput failed");
        }
    }

    /** Chunks in the write buffer: tests check that small writes are merged. */
    int bufferedChunks() {
        return buffer.size();
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, bufferSize);
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need 0 <= low <= high: high=" + high + ", low=" + low);
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
    }

    /** asyncio's _FlowControlMixin: above high water, ask the protocol to stop producing. */
    private void maybePauseProtocol() {
        if (bufferSize <= highWater || protocolPaused) {
            return;
        }
        protocolPaused = true;
        try {
            protocol.pauseWriting();
        } catch (RuntimeException | Error e) {
            loop.callExceptionHandler("protocol.pauseWriting() failed", e);
        }
    }

    private void maybeResumeProtocol() {
        if (protocolPaused && bufferSize <= lowWater) {
            protocolPaused = false;
            try {
                protocol.resumeWriting();
            } catch (RuntimeException | Error e) {
                loop.callExceptionHandler("protocol.resumeWriting() failed", e);
            }
        }
    }

    private void clearBuffer() {
        buffer.clear();
        bufferSize = 0;
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        loop.removeReader(channel);
        if (buffer.isEmpty()) {
            lost = true;
            loop.removeWriter(channel);
            loop.callSoon(() -> callConnectionLost(null));
        } // else writeReady() calls connectionLost once the buffer is flushed
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /**
     * Ends the connection on an error. An IOException is the peer's doing (a reset) and is only
     * counted; anything else is a bug in a protocol and also goes to the loop's exception handler.
     */
    private void fatalError(Throwable exc, String message) {
        if (!(exc instanceof IOException)) {
            loop.callExceptionHandler(message + " on " + this, exc);
        }
        forceClose(exc);
    }

    private void forceClose(Throwable exc) {
        if (lost) {
            return;
        }
        lost = true;
        if (exc != null) {
            counters.error();
        }
        if (!buffer.isEmpty()) {
            clearBuffer();
            loop.removeWriter(channel);
        }
        if (!closing) {
            closing = true;
            loop.removeReader(channel);
        }
        loop.callSoon(() -> callConnectionLost(exc));
    }

    private void callConnectionLost(Throwable exc) {
        if (finished) {
            return;
        }
        finished = true;
        try {
            protocol.connectionLost(exc);
        } catch (RuntimeException | Error e) {
            loop.callExceptionHandler("protocol.connectionLost() failed", e);
        } finally {
            SelectorEventLoop.closeQuietly(channel);
            counters.connectionClosed();
            loop.transportClosed(this);
        }
    }

    @Override
    public String toString() {
        String peer;
        try {
            peer = String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            peer = "?";
        }
        return "SelectorSocketTransport[" + peer + (closing ? ", closing" : "")
                + (readingPaused ? ", paused" : "") + ", buffered " + bufferSize + "]";
    }
}
