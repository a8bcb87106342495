package io.asyncbench.virtualthreads;

import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The proxy, the blocking way: two threads per pair of sockets, each copying one direction with
 * a read-then-write-fully loop. The connection's own thread copies client to backend; a second
 * thread, in an executor that lives exactly as long as the connection, copies backend to client.
 *
 * <p>Backpressure is free, as in echo: a thread blocked writing to a slow reader does not read
 * from the fast writer, so each direction holds one buffer and the kernel's buffers fill up to
 * the writer, whose own writes then block.
 *
 * <p>A half-close crosses over: EOF from one side becomes {@code shutdownOutput()} on the other,
 * and the pair is closed once both directions have ended. When a direction fails (a reset), it
 * closes both sockets, which wakes the other direction's thread out of its blocking call.
 */
final class BlockingProxyServer implements BlockingHandler {

    private final InetSocketAddress backendAddress;
    private final SocketOptions options;
    private final int bufferSize;
    private final ThreadFactory relayThreads;

    BlockingProxyServer(ServerSpec spec, ThreadFactory relayThreads) {
        this.backendAddress = spec.backends().getFirst();
        this.options = spec.socketOptions();
        this.bufferSize = spec.limits().readBufferSize();
        this.relayThreads = relayThreads;
    }

    @Override
    public void serve(SocketChannel client, ServerCounters counters) throws IOException, InterruptedException {
        SocketChannel backend = connect(counters); // refused: throws, and the client is closed
        ExecutorService relay = Executors.newThreadPerTaskExecutor(relayThreads);
        try {
            Future<Void> toClient = relay.submit(() -> copy(backend, client, counters));
            copy(client, backend, counters);
            toClient.get(); // both directions done: the pair can close
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof IOException e) {
                throw e;
            }
            throw new IllegalStateException(failed.getCause());
        } finally {
            // Closing first also wakes the other direction when this thread leaves early
            // (interrupted by the server's close); then wait for it, so no thread outlives the pair.
            close(backend, counters);
            relay.close();
        }
    }

    /** Opens the backend side, with the same socket options as the client side. */
    private SocketChannel connect(ServerCounters counters) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            options.applyTo(channel);
            channel.connect(backendAddress);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        counters.connectionOpened();
        return channel;
    }

    /** Copies {@code from} to {@code to} until EOF, then half-closes {@code to}. */
    private Void copy(SocketChannel from, SocketChannel to, ServerCounters counters) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferSize);
        try {
            int read;
            while ((read = from.read(buffer)) >= 0) { // blocks until bytes arrive, or EOF
                counters.bytesRead(read);
                buffer.flip();
                while (buffer.hasRemaining()) {       // blocks while the other side is slow
                    counters.bytesWritten(to.write(buffer));
                }
                buffer.clear();
            }
            to.shutdownOutput();
            return null;
        } catch (IOException e) {
            // A reset or a broken pipe ends the pair: closing both sockets wakes the other thread.
            closeQuietly(from);
            closeQuietly(to);
            throw e;
        }
    }

    private static void close(SocketChannel channel, ServerCounters counters) {
        closeQuietly(channel);
        counters.connectionClosed();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // The descriptor is released either way.
        }
    }
}
