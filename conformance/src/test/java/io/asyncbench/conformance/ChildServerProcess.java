package io.asyncbench.conformance;

import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Workload;
import io.asyncbench.external.ExternalProcess;
import io.asyncbench.external.ExternalServerStrategy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link ChildServer} in its own JVM (or an external server's command line), optionally under a command prefix such as
 * {@code prlimit --nofile=256:256}, and what the kernel says about it: its open descriptors, its
 * CPU time, its listener's accept queue. Its standard error (the server's log) goes to a file.
 * {@link #close()} closes its standard input, which stops it, and kills it (by its PID) only if it
 * does not exit.
 */
final class ChildServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** The child JVM, or null for an external server. */
    private final Process process;
    /** The external server (a reference, or one a user brought), or null for a child JVM. */
    private final ExternalProcess external;
    private final Path log;
    private final int port;

    private ChildServerProcess(Process process, ExternalProcess external, Path log, int port) {
        this.process = process;
        this.external = external;
        this.log = log;
        this.port = port;
    }

    /** Starts an external server's http command line behind {@code prefix}, its output in {@code log}. */
    static ChildServerProcess startExternal(List<String> prefix, ExternalServerStrategy server, Path log)
            throws IOException {
        ExternalProcess started = server.start(ServerSpec.loopback(Workload.HTTP), prefix, log);
        return new ChildServerProcess(null, started, log, started.address().getPort());
    }

    /** Starts {@code strategyId}'s http server with {@code ioThreads}, behind {@code prefix}. */
    static ChildServerProcess start(List<String> prefix, String strategyId, int ioThreads, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                ChildServer.class.getName(), strategyId, Integer.toString(ioThreads)));
        Process process = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (line == null || !line.startsWith("listening on ")) {
                throw new IllegalStateException("the child server did not start: " + line + "\n"
                        + Files.readString(log));
            }
            return new ChildServerProcess(process, null, log, Integer.parseInt(line.substring(13).trim()));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("could not start " + command, e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process != null ? process.pid() : external.pid();
    }

    boolean isAlive() {
        return process != null ? process.isAlive() : external.isAlive();
    }

    /** Descriptors the process has open now, from /proc/PID/fd. */
    long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/" + pid() + "/fd", e);
        }
    }

    /** User plus system CPU time the process has used so far. */
    Duration cpuTime() {
        return ProcessHandle.of(pid()).flatMap(handle -> handle.info().totalCpuDuration())
                .orElseThrow(() -> new AssertionError("no CPU time for PID " + pid()));
    }

    /**
     * Connections the kernel has completed for the listener and the server has not accepted yet
     * (a listening socket's rx_queue in /proc/net/tcp).
     */
    int acceptQueue() {
        String portHex = String.format(Locale.ROOT, "%04X", port);
        try {
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) { // NIO.2 listens dual-stack
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields[1].endsWith(":" + portHex) && fields[3].equals("0A")) {
                        return Integer.parseInt(fields[4].split(":")[1], 16);
                    }
                }
            }
            return -1; // no listener on the port any more
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/net/tcp", e);
        }
    }

    /** The server's log (its standard error) so far. */
    List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    /** What a failure message should say about the process. */
    String state() {
        List<String> log = logLines();
        return "server process " + pid() + (isAlive() ? " alive, " + openDescriptors() + " descriptors open, "
                + acceptQueue() + " connections in its accept queue" : " exited")
                + "; its log ends:\n" + String.join("\n", log.subList(Math.max(0, log.size() - 20), log.size()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (external != null) {
            external.close();
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyGone) {
            // it exited on its own
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
