package io.asyncbench.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The workloads every strategy implements. Each is specified once here; the wire formats live in
 * the classes named below so that any strategy can be driven by any client, including curl and wrk.
 *
 * <p>A workload plays one of two roles: served by a server a strategy starts (the ones
 * {@link ServerWorkload} lists, started with {@link Strategy#start(ServerSpec)}), or run inside
 * the caller's JVM ({@link #TIMERS}, through {@link Strategy#timers(int)}).
 */
public enum Workload {

    /**
     * TCP echo: every byte read on a connection is written back on it, in order, for any message
     * size and any number of connections. When the peer half-closes, the server finishes writing
     * back what it has read, then closes. No framing: the stream is the message.
     */
    ECHO("echo", "TCP server writing back every byte it reads"),

    /** HTTP/1.1 keep-alive server; see {@code io.asyncbench.api.http}. */
    HTTP("http", "HTTP/1.1 keep-alive server: plaintext, json, echo, delay"),

    /** N concurrent sleeps, then gather; in process, see {@link TimerFanOut}. */
    TIMERS("timers", "N concurrent sleeps of d, then gather (asyncio.sleep)"),

    /**
     * An HTTP server (the {@code http} endpoints plus {@code /fanout}) whose
     * {@code GET /fanout?k=K&ms=M} sends {@code GET /delay?ms=M} to K backends concurrently, call i
     * going to {@link ServerSpec#backends()}{@code .get(i % size)}, over keep-alive connections
     * pooled in the style's own way, and answers {@code {"k":K,"ms":M,"ok":K}} once all K answered
     * 200 with body {@code slept M ms}. Any other backend answer, a refused or broken connection
     * gives 502. When {@link Limits#requestDeadline()} passes first (asyncio.wait_for), the client
     * gets 504 and every outstanding call is cancelled: its connection is closed, never pooled.
     * See {@code io.asyncbench.api.http}.
     */
    GATEWAY("gateway", "HTTP scatter-gather to K backends with a deadline"),

    /**
     * TCP relay: each accepted connection is relayed byte for byte to a new connection to
     * {@link ServerSpec#backends()}{@code .get(0)}, both ways, until both directions are closed.
     * A half-close is propagated; a slow reader on one side slows the writer on the other, with
     * at most {@link Limits#maxBufferedBytesPerConnection()} held per direction. The socket options
     * apply to both sockets. A refused backend closes the client connection (counted as an error);
     * a reset on either side closes the other.
     */
    PROXY("proxy", "TCP relay to a backend with backpressure");

    /** Who plays the workload: a server in its own process, or tasks inside the caller's JVM. */
    public enum Role { SERVER, IN_PROCESS }

    private final String id;
    private final String description;

    Workload(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The lowercase id used on the command line and in reports. */
    public String id() {
        return id;
    }

    /** {@link Role#SERVER} for the workloads {@link ServerWorkload} lists, else in process. */
    public Role role() {
        return ServerWorkload.of(this) != null ? Role.SERVER : Role.IN_PROCESS;
    }

    /** This workload as a server workload, or empty when it runs in process. */
    public Optional<ServerWorkload> server() {
        return Optional.ofNullable(ServerWorkload.of(this));
    }

    public String description() {
        return description;
    }

    /** The workload with this id (case-insensitive), or an exception listing the valid ids. */
    public static Workload byId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Workload workload : values()) {
            if (workload.id.equals(wanted)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'; known: "
                + Arrays.stream(values()).map(Workload::id).toList());
    }

    @Override
    public String toString() {
        return id;
    }
}
