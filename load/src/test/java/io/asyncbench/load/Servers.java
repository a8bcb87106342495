package io.asyncbench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Loopback test servers that behave well or badly, one virtual thread per connection. */
final class Servers implements AutoCloseable {

    interface Handler {
        void handle(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket listener = new ServerSocket();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    Servers(Handler handler) throws IOException {
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        threads.submit(() -> {
            while (true) {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                open.add(socket);
                threads.submit(() -> {
                    try (socket) {
                        handler.handle(socket.getInputStream(), socket.getOutputStream());
                    } finally {
                        open.remove(socket);
                    }
                    return null;
                });
            }
        });
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Writes back every byte; {@code corruptAt} >= 0 flips that byte of the stream. */
    static Handler echo(long corruptAt) {
        return (in, out) -> {
            byte[] buffer = new byte[8192];
            long offset = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (corruptAt >= offset && corruptAt < offset + n) {
                    buffer[(int) (corruptAt - offset)] ^= 0x20;
                }
                offset += n;
                out.write(buffer, 0, n);
            }
        };
    }

    /** Echoes the first message, then only the first {@code bytes} of the next, and closes. */
    static Handler shortReply(int messageSize, int bytes) {
        return (in, out) -> {
            out.write(in.readNBytes(messageSize));
            byte[] second = in.readNBytes(messageSize);
            out.write(second, 0, bytes);
        };
    }

    /** Reads and never answers. */
    static Handler silent() {
        return (in, out) -> {
            while (in.read() >= 0) {
                // swallow
            }
        };
    }

    /** Echoes, but holds the {@code stalledReply}-th reply (0-based) back for {@code stallMillis}. */
    static Handler stallingEcho(int messageSize, int stalledReply, long stallMillis) {
        return stallingEcho(messageSize, stalledReply, stallMillis, new CountDownLatch(0));
    }

    /** The same, with the stall starting only once {@code stallMayStart} is open. */
    static Handler stallingEcho(int messageSize, int stalledReply, long stallMillis, CountDownLatch stallMayStart) {
        return (in, out) -> {
            for (int i = 0; ; i++) {
                byte[] message = in.readNBytes(messageSize);
                if (message.length < messageSize) {
                    return;
                }
                if (i == stalledReply) {
                    stallMayStart.await();
                    Thread.sleep(stallMillis);
                }
                out.write(message);
            }
        };
    }

    /**
     * An HTTP server answering every GET /plaintext with the specified response plus
     * {@code extraHeader} (e.g. {@code "X-Cache: hit\r\n"}) after the spec's headers; with an empty
     * extra header it is a correct server.
     */
    static Handler plaintextWithExtraHeader(String extraHeader) {
        return (in, out) -> {
            String request = "GET /plaintext HTTP/1.1\r\nHost: asyncbench\r\n\r\n";
            while (in.readNBytes(request.length()).length == request.length()) {
                String reply = "HTTP/1.1 200 OK\r\nServer: asyncbench\r\nDate: "
                        + io.asyncbench.api.http.HttpDate.now() + "\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 13\r\n" + extraHeader + "\r\nHello, World!";
                out.write(reply.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        };
    }

    /** Echoes every message after holding it for {@code delayMillis}: at most 1000/delay replies/s per connection. */
    static Handler slowEcho(int messageSize, long delayMillis) {
        return (in, out) -> {
            while (true) {
                byte[] message = in.readNBytes(messageSize);
                if (message.length < messageSize) {
                    return;
                }
                Thread.sleep(delayMillis);
                out.write(message);
            }
        };
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        threads.shutdownNow();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test server threads did not stop");
        }
    }
}
