package io.asyncbench.harness;

import io.asyncbench.harness.cli.HostPort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The other end of a {@link StatsPort}: asks a server on another host for its stats line. */
public final class StatsClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final InetSocketAddress address;

    private StatsClient(Socket socket, InetSocketAddress address) throws IOException {
        this.socket = socket;
        this.address = address;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and presents {@code token}.
     *
     * @throws IOException if the port cannot be reached, or refuses the token (the message says why)
     */
    public static StatsClient connect(InetSocketAddress address, String token, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
            socket.connect(address, millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
            StatsClient client = new StatsClient(socket, address);
            client.ask("token " + token, "ok");
            return client;
        } catch (IOException | RuntimeException failed) {
            socket.close();
            throw failed;
        }
    }

    /** The stats line as the server wrote it; with {@code afterGc}, after a full GC in the server. */
    public String line(boolean afterGc) throws IOException {
        return ask(afterGc ? "stats gc" : "stats", null);
    }

    public ServerStats stats(boolean afterGc) throws IOException {
        return ServerStats.parse(line(afterGc));
    }

    public boolean isOpen() {
        return !socket.isClosed();
    }

    private String ask(String command, String expected) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String answer = in.readLine();
        if (answer == null) {
            throw new IOException("the stats port at " + HostPort.format(address) + " closed the connection");
        }
        if (answer.startsWith("refused: ") || (expected != null && !answer.equals(expected))) {
            throw new IOException("the stats port at " + HostPort.format(address) + " " + answer);
        }
        return answer;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing; nothing more to do
        }
    }
}
