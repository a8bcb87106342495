package io.asyncbench.harness;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in its own JVM: {@code java <JvmFlags.SERVER> <the strategy's own JVM options> -cp
 * <this class path> io.asyncbench.harness.ServeCommand --control-stdin ...}, started on the server's CPUs
 * (taskset) with the same IO thread budget for every strategy (virtual threads: the scheduler's
 * parallelism set to it).
 *
 * <p>The process answers {@code stats} on its standard input with one JSON line
 * ({@link ServerStats}), stops on {@code quit}, and also stops when its standard input closes, so
 * it cannot outlive the process that started it. {@link #close()} stops it and waits; a shutdown
 * hook stops whatever is still running when this JVM exits.
 */
public final class ServerProcess implements ServerSide {

    private static final Pattern LISTENING = Pattern.compile(" listening on (\\S+):(\\d+)\\s*$");
    private static final Set<ServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ServerProcess::kill),
                "asyncbench-bench-server-reaper"));
    }

    private final String label;
    private final Process process;
    private final OutputStream control;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderr;
    private final List<InetSocketAddress> addresses;
    private final List<String> command;

    /**
     * Starts {@code count} servers of {@code strategy} for {@code workload} in one new JVM and
     * returns once each accepts connections. {@code jvmFlags} come after {@link JvmFlags#SERVER}
     * (a recording's, {@link FlightRecording#PRECISE_FRAMES_FLAGS}).
     */
    public static ServerProcess start(String strategy, Workload workload, int count, int threads,
                                      List<InetSocketAddress> backends, List<String> commandPrefix,
                                      List<String> jvmFlags, Duration startTimeout) throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.SERVER);
        command.addAll(jvmOptionsOf(strategy));
        command.addAll(jvmFlags);
        command.add("-Djdk.virtualThreadScheduler.parallelism=" + threads);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServeCommand.class.getName());
        command.add("--control-stdin");
        command.addAll(List.of("--strategy", strategy, "--workload", workload.id(),
                "--threads", Integer.toString(threads), "--port", "0", "--count", Integer.toString(count)));
        for (InetSocketAddress backend : backends) {
            command.add("--backend");
            command.add(backend.getAddress().getHostAddress() + ":" + backend.getPort());
        }
        String label = strategy + " " + workload + (count > 1 ? " x" + count : "");
        return new ServerProcess(label, command, count, startTimeout);
    }

    /**
     * The JVM options {@code strategy} declares it needs ({@code StrategyFacts.jvmOptions}, such as
     * {@code --enable-preview}): its server JVM gets them, and no other. None for an id not on this
     * class path, which the server itself then rejects with the known ids.
     */
    static List<String> jvmOptionsOf(String strategy) {
        return Strategies.all().stream().filter(s -> s.id().equals(strategy)).findFirst()
                .map(s -> s.facts().jvmOptions()).orElse(List.of());
    }

    private ServerProcess(String label, List<String> command, int count, Duration startTimeout)
            throws IOException {
        this.label = label;
        this.command = List.copyOf(command);
        this.stderr = Files.createTempFile("asyncbench-server-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        this.process = builder.start();
        RUNNING.add(this);
        this.control = process.getOutputStream();
        Thread reader = new Thread(this::readLines, "asyncbench-bench-server-out-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            List<InetSocketAddress> found = new ArrayList<>();
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (found.size() < count) {
                String line = nextLine(deadline, "to start");
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    String host = m.group(1);
                    if (host.startsWith("[") && host.endsWith("]")) {
                        host = host.substring(1, host.length() - 1);
                    }
                    found.add(new InetSocketAddress(host, Integer.parseInt(m.group(2))));
                }
            }
            this.addresses = List.copyOf(found);
        } catch (IOException | RuntimeException failed) {
            kill();
            throw failed;
        }
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ended) {
            // the process is gone; nextLine reports it
        }
    }

    private String nextLine(long deadlineNanos, String what) throws IOException {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            String line;
            try {
                line = lines.poll(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))),
                        TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the " + label + " server " + what);
            }
            if (line != null) {
                return line;
            }
            if (!process.isAlive() && lines.isEmpty()) {
                throw new IOException("the " + label + " server process exited with "
                        + exitValue() + " instead of " + what + stderrTail());
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                throw new IOException("the " + label + " server did not " + what.replace("to ", "")
                        + " within the time allowed" + stderrTail());
            }
        }
    }

    private String exitValue() {
        try {
            return Integer.toString(process.exitValue());
        } catch (IllegalThreadStateException running) {
            return "?";
        }
    }

    /** The last lines the server printed on standard error, for a failure message. */
    private String stderrTail() {
        try {
            List<String> all = Files.readAllLines(stderr);
            if (all.isEmpty()) {
                return "";
            }
            return "; its standard error ended with:\n  "
                    + String.join("\n  ", all.subList(Math.max(0, all.size() - 15), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** The servers' addresses, in the order they started. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    @Override
    public InetSocketAddress address() {
        return addresses.get(0);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean external() {
        return false;
    }

    /**
     * Asks the server process for its {@link ServerStats}; with {@code afterGc}, after a full
     * collection, so that the heap figure is the live heap.
     */
    @Override
    public ServerStats stats(boolean afterGc) throws IOException {
        return ServerStats.parse(statsLine(afterGc));
    }

    /**
     * The facts the strategy reports about its engine in this process (see
     * {@code Strategy.engineFacts()}), e.g. {@code netty.unsafe=true}; empty for most strategies.
     */
    public Map<String, String> engineFacts() throws IOException {
        return ServerStats.engineFacts(statsLine(false));
    }

    /** The exact command line that started this process, taskset prefix included. */
    public List<String> command() {
        return command;
    }

    private synchronized String statsLine(boolean afterGc) throws IOException {
        lines.clear();
        control.write((afterGc ? "stats gc\n" : "stats\n").getBytes(StandardCharsets.US_ASCII));
        control.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String line = nextLine(deadline, "to answer 'stats'");
            if (line.startsWith("{")) {
                return line;
            }
        }
    }

    /**
     * Sends a JFR control command ({@code start}, {@code stop FILE}, {@code discard}: see
     * {@link FlightRecording}) and returns the server's answer after {@code jfr ok}.
     *
     * @throws IOException when the server answers {@code jfr failed: ...} (its message) or not at all
     */
    public synchronized String jfr(String command) throws IOException {
        lines.clear();
        control.write(("jfr " + command + "\n").getBytes(StandardCharsets.UTF_8));
        control.flush();
        // writing a recording of a long window takes a while; a stuck server fails here, not the run
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String line = nextLine(deadline, "to answer 'jfr " + command + "'");
            if (line.startsWith("jfr ok")) {
                return line.substring("jfr ok".length()).trim();
            }
            if (line.startsWith("jfr failed")) {
                throw new IOException("the " + label + " server's JFR: " + line.substring("jfr ".length()));
            }
        }
    }

    /** Stops the process: 'quit', then its standard input closed, then destroy if it lingers. */
    @Override
    public void close() {
        try {
            try {
                control.write("quit\n".getBytes(StandardCharsets.US_ASCII));
                control.close();
            } catch (IOException alreadyGone) {
                // the process has exited; waitFor below returns at once
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(this);
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // a temporary file left in /tmp
            }
        }
    }

    private void kill() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }

    /** True while the server's process runs. */
    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String toString() {
        return label + " (pid " + process.pid() + ", " + addresses + ")";
    }
}
