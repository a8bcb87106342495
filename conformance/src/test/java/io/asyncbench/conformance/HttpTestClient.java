package io.asyncbench.conformance;

import io.asyncbench.api.http.HttpException;
import io.asyncbench.api.http.HttpResponseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP/1.1 test client: sends exactly the bytes a test gives it (so it can send bad input
 * no real client would) and parses responses with the project's client-side parser. Every read
 * is bounded by a socket timeout so a silent server fails the test instead of hanging it.
 */
final class HttpTestClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = Math.toIntExact(Timeouts.REPLY.toMillis());

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final HttpResponseParser parser = new HttpResponseParser(64 * 1024);
    private final ByteBuffer pending = ByteBuffer.allocate(256 * 1024).flip();

    HttpTestClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    HttpTestClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    HttpTestClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** GET {@code target} over HTTP/1.1, then the response. */
    HttpResponseParser.Response get(String target) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n").response();
    }

    /** The next response; fails if the server closes first. */
    HttpResponseParser.Response response() throws IOException {
        try {
            while (true) {
                HttpResponseParser.Response response = parser.parse(pending);
                if (response != null) {
                    return response;
                }
                if (!fill()) {
                    throw new AssertionError("the server closed the connection before a complete response");
                }
            }
        } catch (HttpException e) {
            throw new AssertionError("malformed response: " + e.getMessage(), e);
        }
    }

    /** True if the server closes the connection (EOF or reset) with no further bytes. */
    boolean closedByServer() throws IOException {
        if (pending.hasRemaining()) {
            return false;
        }
        try {
            return !fill();
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private boolean fill() throws IOException {
        pending.compact();
        try {
            int read = in.read(pending.array(), pending.position(), pending.remaining());
            if (read < 0) {
                return false;
            }
            pending.position(pending.position() + read);
            return true;
        } finally {
            pending.flip();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
