package io.asyncbench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keep-alive connections that each made one verified request and then stay open and silent: what
 * a server holds for a connection between requests, for measuring memory per connection. Opened in
 * batches (connect all, send all, then read each reply), so thousands open in about a second.
 */
public final class IdleConnections implements AutoCloseable {

    private static final int BATCH = 256;

    private final Traffic traffic;
    private final InetSocketAddress target;
    private final Duration timeout;
    private final List<Socket> open = new ArrayList<>();

    /** @param traffic request/reply traffic (echo, http); each connection makes one exchange */
    public IdleConnections(Traffic traffic, InetSocketAddress target, Duration timeout) {
        if (traffic.newExchange(0) == null) {
            throw new IllegalArgumentException("idle connections need request/reply traffic, not " + traffic.describe());
        }
        this.traffic = traffic;
        this.target = target;
        this.timeout = timeout;
    }

    public int size() {
        return open.size();
    }

    /** Opens connections until {@code count} are open, each after one verified exchange. */
    public void growTo(int count) throws IOException, LoadException {
        byte[] buffer = new byte[16 * 1024];
        while (open.size() < count) {
            int n = Math.min(BATCH, count - open.size());
            List<Socket> fresh = new ArrayList<>(n);
            List<Exchange> exchanges = new ArrayList<>(n);
            try {
                for (int i = 0; i < n; i++) {
                    Socket socket = new Socket();
                    fresh.add(socket);
                    socket.setTcpNoDelay(true);
                    socket.connect(target, (int) timeout.toMillis());
                    socket.setSoTimeout((int) timeout.toMillis());
                    Exchange exchange = traffic.newExchange(open.size() + i);
                    exchanges.add(exchange);
                    ByteBuffer request = exchange.nextBatch();
                    socket.getOutputStream().write(request.array(), request.arrayOffset() + request.position(),
                            request.remaining());
                }
                for (int i = 0; i < n; i++) {
                    InputStream in = fresh.get(i).getInputStream();
                    Exchange exchange = exchanges.get(i);
                    while (!exchange.batchComplete()) {
                        int read = in.read(buffer);
                        if (read < 0) {
                            throw new LoadException("idle connection " + (open.size() + i)
                                    + ": the server closed it before replying (" + exchange.progress() + ")");
                        }
                        exchange.consume(ByteBuffer.wrap(buffer, 0, read));
                    }
                }
            } catch (SocketTimeoutException slow) {
                closeAll(fresh);
                throw new LoadException("idle connections: no reply within " + timeout.toMillis() + " ms", slow);
            } catch (IOException | LoadException | RuntimeException failed) {
                closeAll(fresh);
                throw failed;
            }
            open.addAll(fresh);
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closeAll(open);
        open.clear();
    }
}
