package io.asyncbench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@code serve --stats-port}: the control channel's {@code stats} answer on a TCP port of its own,
 * for a load generator on another host. Off unless asked for, read-only, and closed to anyone
 * without the token {@code serve} printed at start (or read from a file).
 *
 * <p>The protocol is lines of UTF-8: the client's first line is {@code token <T>}, answered
 * {@code ok}; then each {@code stats} or {@code stats gc} line is answered with one JSON line,
 * exactly the control channel's ({@link ServerStats}). Anything else is answered with one line
 * {@code refused: <why>}, and the connection is closed: a wrong token, a command that is not
 * {@code stats} (this port never stops, records or changes the server), a line longer than
 * {@value #MAX_LINE} characters. A client silent for {@link #IDLE} is dropped.
 *
 * <p>Platform threads of its own accept and serve: a benchmark's forks, or the several load
 * hosts of one measurement ({@code load --stats}), each hold a connection, up to
 * {@value #MAX_CLIENTS} at once (one more is refused). None of them is the server's or its
 * virtual-thread scheduler's, which belong to the strategy being measured.
 */
public final class StatsPort implements AutoCloseable {

    static final int MAX_LINE = 128;
    static final int MAX_CLIENTS = 8;
    static final Duration IDLE = Duration.ofSeconds(60);
    private static final int TOKEN_BYTES = 16;

    private final ServerSocket listener;
    private final byte[] token;
    private final Function<Boolean, String> statsLine;
    private final Thread thread;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Set<Thread> serving = ConcurrentHashMap.newKeySet();

    private StatsPort(ServerSocket listener, String token, Function<Boolean, String> statsLine) {
        this.listener = listener;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.statsLine = statsLine;
        this.thread = new Thread(this::serve, "asyncbench-stats-port");
        this.thread.setDaemon(true);
    }

    /**
     * Listens on {@code bind} and answers with {@code statsLine.apply(afterGc)} to holders of
     * {@code token}.
     */
    public static StatsPort open(InetSocketAddress bind, String token, Function<Boolean, String> statsLine)
            throws IOException {
        if (token.isBlank() || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a stats token must be one word, not blank");
        }
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(bind);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        StatsPort port = new StatsPort(listener, token, statsLine);
        port.thread.start();
        return port;
    }

    /** A new random token: 128 bits, as hex. */
    public static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void serve() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException closedOrFailed) {
                continue; // close() ends the loop; a failed accept must not end the port
            }
            if (clients.size() >= MAX_CLIENTS) {
                try (socket) {
                    refuse(new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)),
                            MAX_CLIENTS + " clients are connected already");
                } catch (IOException gone) {
                    // it left; nothing to tell it
                }
                continue;
            }
            clients.add(socket);
            Thread client = new Thread(() -> serveOne(socket), "asyncbench-stats-client");
            client.setDaemon(true);
            serving.add(client);
            client.start();
        }
    }

    private void serveOne(Socket socket) {
        try (socket) {
            socket.setSoTimeout(Math.toIntExact(IDLE.toMillis()));
            answer(socket);
        } catch (SocketTimeoutException | SocketException gone) {
            // a silent client, one that left, or close()
        } catch (IOException e) {
            // one client's broken connection must not end the port
        } finally {
            clients.remove(socket);
            serving.remove(Thread.currentThread());
        }
    }

    private void answer(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
        String first = readLine(in, out);
        if (first == null) {
            return;
        }
        if (!first.startsWith("token ") || !MessageDigest.isEqual(token,
                first.substring("token ".length()).trim().getBytes(StandardCharsets.UTF_8))) {
            refuse(out, first.startsWith("token ") ? "wrong token"
                    : "say 'token <T>' first, with the token 'serve' printed at start");
            return;
        }
        out.print("ok\n");
        out.flush();
        String line;
        while ((line = readLine(in, out)) != null) {
            String command = line.trim();
            if (command.equals("stats") || command.equals("stats gc")) {
                out.print(statsLine.apply(command.equals("stats gc")) + "\n");
                out.flush();
            } else {
                refuse(out, "this port is read-only: it answers 'stats' and 'stats gc', not '"
                        + command + "'");
                return;
            }
        }
    }

    /** The next line, or null at the end of input or after refusing a line too long. */
    private static String readLine(BufferedReader in, PrintWriter out) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() == MAX_LINE) {
                refuse(out, "a line longer than " + MAX_LINE + " characters");
                return null;
            }
            line.append((char) c);
        }
        if (c < 0 && line.isEmpty()) {
            return null;
        }
        return line.toString().replace("\r", "");
    }

    private static void refuse(PrintWriter out, String why) {
        out.print("refused: " + why + "\n");
        out.flush();
    }

    /** Stops listening, drops the clients, and returns once the port's threads have ended. */
    @Override
    public void close() {
        try {
            listener.close();
            for (Socket client : clients) {
                client.close();
            }
            thread.join(Duration.ofSeconds(5));
            for (Thread client : serving) {
                client.join(Duration.ofSeconds(5));
            }
        } catch (IOException ignored) {
            // closing to stop; nothing more to do
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Threads of this port still running (the acceptor and one per client); for tests. */
    int threads() {
        return (thread.isAlive() ? 1 : 0) + (int) serving.stream().filter(Thread::isAlive).count();
    }
}
