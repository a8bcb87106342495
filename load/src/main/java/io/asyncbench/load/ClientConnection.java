package io.asyncbench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One client connection of a {@link ClientLoop}; driven only by the loop's thread. */
abstract class ClientConnection {

    final ClientLoop loop;
    final int index;
    final SocketChannel channel;
    SelectionKey key;
    /** The loop's clock when this connection last moved a byte or started waiting. */
    long lastActivity;
    /** Operations this connection completed since the loop started counting (see ClientLoop#countConnections). */
    long counted;
    /** When it last completed one, and the longest wait between two, while counting (nanoseconds). */
    long lastCompletion;
    long longestGap;

    ClientConnection(ClientLoop loop, int index, SocketChannel channel) {
        this.loop = loop;
        this.index = index;
        this.channel = channel;
    }

    /** Reads what the server sent into {@code buffer} and checks it. */
    abstract void onReadable(ByteBuffer buffer) throws IOException, LoadException;

    /** Writes what is still pending. */
    abstract void onWritable() throws IOException;

    /** True when the connection waits for the server. */
    abstract boolean awaitingServer();

    /** What it waits for, for the error message when the server stays silent. */
    abstract String progress();

    /** Reads once; -1 (the server closed) becomes a LoadException saying what was missing. */
    final int read(ByteBuffer buffer) throws IOException, LoadException {
        buffer.clear();
        int n = channel.read(buffer);
        if (n < 0) {
            throw new LoadException("connection " + index + ": the server closed the connection"
                    + (awaitingServer() ? " while the client waited for " + progress() : ""));
        }
        buffer.flip();
        if (n > 0) {
            lastActivity = loop.now;
        }
        return n;
    }

    final void interest(int ops) {
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }
}
