package io.asyncbench.external;

import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external server's process, started from its command line and ready once its port accepts a
 * connection. Its output goes to a log file, whose tail explains a server that would not start.
 *
 * <p>There is no control channel: {@link #counters()} stays zero, and what the process did is read
 * from outside, in {@code /proc/<pid>} ({@link #pid()}).
 */
public final class ExternalProcess implements RunningServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final InetSocketAddress address;
    private final Path log;
    private final boolean ownLog;
    private final ServerCounters counters = new ServerCounters();
    private final Thread reaper;

    private ExternalProcess(Process process, InetSocketAddress address, Path log, boolean ownLog) {
        this.process = process;
        this.address = address;
        this.log = log;
        this.ownLog = ownLog;
        this.reaper = new Thread(process::destroyForcibly, "asyncbench-external-reaper");
        Runtime.getRuntime().addShutdownHook(reaper); // never leave a server behind the JVM
    }

    /**
     * Runs {@code commandLine} ({@code {port}} already filled in with {@code address}'s port)
     * behind {@code prefix} (e.g. {@code taskset -c 1}) and returns once the port accepts.
     *
     * @param log where the process's output goes; null for a temporary file removed on close
     * @throws IOException with the log's tail when the process exits or stays silent
     */
    public static ExternalProcess start(String commandLine, List<String> prefix, InetSocketAddress address,
                                        Path log) throws IOException {
        boolean ownLog = log == null;
        Path output = ownLog ? Files.createTempFile("asyncbench-external-", ".log") : log;
        String shellLine = "exec " + (prefix.isEmpty() ? "" : String.join(" ", prefix) + " ") + commandLine;
        Process process = new ProcessBuilder("/bin/sh", "-c", shellLine)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE) // closed on exit: EOF, never the terminal
                .start();
        ExternalProcess server = new ExternalProcess(process, address, output, ownLog);
        try {
            server.awaitListening(commandLine);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A port free on {@code host} right now (the kernel's choice); the server binds it next. */
    public static int freePort(String host) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return probe.getLocalPort();
        }
    }

    private void awaitListening(String commandLine) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        InetSocketAddress target = address.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), address.getPort()) : address;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("'" + commandLine + "' exited with " + process.exitValue()
                        + " before listening on port " + address.getPort() + logTail());
            }
            try (Socket probe = new Socket()) {
                probe.connect(target, 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("'" + commandLine + "' did not listen on port " + address.getPort()
                            + " within " + START_TIMEOUT.toSeconds() + " s" + logTail());
                }
            }
            try {
                Thread.sleep(20); // a child process has no readiness signal to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for '" + commandLine + "'", e);
            }
        }
    }

    /** The last lines of the process's output, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 10), lines.size());
            return tail.isEmpty() ? " (it printed nothing)" : "; its output ends:\n  " + String.join("\n  ", tail);
        } catch (IOException | UncheckedIOException e) {
            return " (its output could not be read: " + e.getMessage() + ")";
        }
    }

    /** The server's process id: {@code /proc/<pid>/stat} and {@code status} describe it. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** Always zero: an external server has no control channel. Read {@code /proc/<pid>} instead. */
    @Override
    public ServerCounters counters() {
        return counters;
    }

    /** SIGTERM, then SIGKILL after a grace period; returns once the process is gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; the process is already gone
        }
        if (ownLog) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans the temp folder
            }
        }
    }
}
