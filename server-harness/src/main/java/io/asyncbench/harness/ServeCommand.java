package io.asyncbench.harness;

import io.asyncbench.api.AcceptFailures;
import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.UnsupportedWorkloadException;
import io.asyncbench.api.Workload;
import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.CommandLines;
import io.asyncbench.harness.cli.Converters;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.HostPort;
import io.asyncbench.harness.cli.StrategyCatalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code asyncbench serve}: one server (or {@code --count} servers), in this JVM, until Ctrl-C or
 * SIGTERM; in a new JVM when the strategy needs JVM options this one lacks (structured:
 * {@code --enable-preview}). A line {@code <strategy> <workload> listening on <host>:<port>} is printed per server
 * once it accepts connections; a process that starts {@code serve} may wait for them.
 *
 * <p>With {@code --control-stdin} the server is driven by the process that started it (the
 * benchmarks do): a line {@code stats} on standard input answers one JSON line of
 * {@link ServerStats} on standard output; {@code jfr start}, {@code jfr stop FILE} and
 * {@code jfr discard} record one measured window with JFR ({@link FlightRecording}, answered by one
 * line {@code jfr ok ...} or {@code jfr failed: ...}); {@code quit}, or standard input closing,
 * stops it. So a server cannot outlive a benchmark that died.
 */
@Command(name = "serve", sortOptions = false,
        description = {"Starts one server and runs it until Ctrl-C or SIGTERM.",
                "Prints '<strategy> <workload> listening on <host>:<port>' once it accepts "
                        + "connections, and the server's counters when it stops."})
public final class ServeCommand implements Callable<Integer> {

    /** Set in a JVM started by {@link #relaunch}, which must not start another. */
    private static final String RELAUNCHED = "asyncbench.serve.relaunched";

    /** The JDK's scheduler for virtual threads; see {@link #applyVirtualThreadBudget()}. */
    private static final String VIRTUAL_THREAD_PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--strategy"}, required = true, paramLabel = "ID",
            converter = Converters.StrategyConverter.class,
            completionCandidates = Converters.StrategyIds.class,
            description = "The strategy: ${COMPLETION-CANDIDATES}.")
    Strategy strategy;

    @Option(names = {"-w", "--workload"}, paramLabel = "ID", defaultValue = "echo",
            converter = Converters.WorkloadConverter.class,
            completionCandidates = Converters.ServerWorkloadIds.class,
            description = "The workload: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Workload workload;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            converter = Converters.AddressConverter.class,
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    InetAddress bind;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "0",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "IO thread budget: event loops or completion threads; for virtual "
                    + "threads the JDK scheduler's parallelism (default: the number of cores, "
                    + "${DEFAULT-VALUE}).")
    int threads = ServerSpec.DEFAULT_IO_THREADS;

    @Option(names = "--backend", paramLabel = "HOST:PORT",
            converter = Converters.HostPortConverter.class,
            description = "A backend for the gateway and proxy workloads; repeat for several.")
    List<InetSocketAddress> backends = new ArrayList<>();

    @Option(names = "--count", paramLabel = "N", defaultValue = "1",
            description = "Start N servers, each on its own port (with --port 0), e.g. the K "
                    + "backends of the gateway benchmark (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--control-stdin",
            description = "Read commands on standard input: 'stats' prints one JSON line of "
                    + "process and server statistics ('stats gc' after a full GC), 'jfr start', "
                    + "'jfr stop FILE' and 'jfr discard' record a window with JFR, 'quit' or end of "
                    + "input stops.")
    boolean controlStdin;

    @Option(names = "--stats-port", paramLabel = "PORT",
            description = "Also answer 'stats' on this TCP port, for a benchmark on another host "
                    + "(run --stats): read-only, and only to holders of the token printed at start. "
                    + "0 picks a free port. Off by default.")
    Integer statsPort;

    @Option(names = "--stats-bind", paramLabel = "ADDR", converter = Converters.AddressConverter.class,
            description = "Address of the stats port (default: the --bind address).")
    InetAddress statsBind;

    @Option(names = "--stats-token-file", paramLabel = "FILE",
            description = "Read the stats port's token from FILE instead of making a new one.")
    Path statsTokenFile;

    /** Where --control-stdin reads; tests replace it. */
    InputStream controlInput = System.in;

    /** Facts of every stats line, found once: the host's name may take a resolver's time. */
    private Map<String, String> engineFacts;
    private Map<String, String> hostFacts;
    private Map<String, String> serverFacts;

    /**
     * A server's own JVM, as a benchmark starts it ({@link ServerProcess}): {@code serve} alone,
     * with the command line's error handling, so that the harness names no class of the
     * command line that uses it.
     */
    public static void main(String[] args) {
        CommandLine commandLine = CommandLines.withErrorHandling(new ServeCommand());
        commandLine.setCommandName("asyncbench serve");
        System.exit(commandLine.execute(args));
    }

    @Override
    public Integer call() {
        List<String> missing = missingJvmOptions();
        if (!missing.isEmpty()) {
            return relaunch(missing);
        }
        // Before anything can use up the descriptors: a first log line written while none is
        // free would otherwise fail to load the time-zone data, and no log line would work again.
        AcceptFailures.loadLoggingNow();
        ServerSpec serverSpec = serverSpec();
        if (count < 1 || count > 1024 || (count > 1 && port != 0)) {
            throw wrong("--count must be 1-1024, and more than one server needs --port 0");
        }
        StrategyCatalog.requireServes(strategy, workload);
        applyVirtualThreadBudget();
        List<RunningServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                servers.add(start(serverSpec));
            }
        } catch (RuntimeException failed) {
            servers.forEach(RunningServer::close);
            throw failed;
        }
        String label = strategy.id() + " " + workload;
        PrintWriter out = spec.commandLine().getOut();
        List<ServerCounters> counters = servers.stream().map(RunningServer::counters).toList();
        engineFacts = engineFacts();
        hostFacts = HostFacts.ofThisJvm();
        serverFacts = serverFacts();
        List<String> announcements = new ArrayList<>();
        for (RunningServer server : servers) {
            announcements.add(label + " listening on " + HostPort.format(server.address()));
        }
        StatsPort port = openStatsPort(counters, announcements, servers);
        // Said only once the shutdown hook is in place: whoever waits for these lines may stop
        // the server at once, and a SIGTERM before the hook would end the JVM without closing it.
        Runnable announce = () -> {
            announcements.forEach(out::println);
            out.flush();
        };
        try {
            if (controlStdin) {
                return serveControlled(servers, counters, label, out, spec.commandLine().getErr(), announce);
            }
            return runUntilStopped(servers, label, out, spec.commandLine().getErr(), announce);
        } finally {
            if (port != null) {
                port.close();
            }
        }
    }

    /** With --stats-port: the stats port, announced with its token; else null. */
    private StatsPort openStatsPort(List<ServerCounters> counters, List<String> announcements,
                                    List<RunningServer> servers) {
        if (statsPort == null) {
            return null;
        }
        if (statsPort < 0 || statsPort > 65535) {
            servers.forEach(RunningServer::close);
            throw wrong("--stats-port must be 0-65535, not " + statsPort);
        }
        try {
            String token = statsTokenFile == null ? StatsPort.newToken() : Files.readString(statsTokenFile).trim();
            StatsPort port = StatsPort.open(new InetSocketAddress(statsBind != null ? statsBind : bind, statsPort),
                    token, afterGc -> statsLine(counters, afterGc));
            announcements.add("stats on " + HostPort.format(port.address()) + " token "
                    + (statsTokenFile == null ? token : "from " + statsTokenFile));
            return port;
        } catch (IOException | IllegalArgumentException failed) {
            servers.forEach(RunningServer::close);
            throw new CliException(ExitStatus.FAILED, "cannot open the stats port: " + failed.getMessage());
        }
    }

    /**
     * One stats line of this JVM: the process's figures, the servers' counters, the engine's facts,
     * and the host's (which JVM on which machine: a benchmark on another host records them).
     */
    private String statsLine(List<ServerCounters> counters, boolean afterGc) {
        if (afterGc) {
            System.gc(); // so that heapUsedBytes is the live heap
        }
        String line = ServerStats.withEngineFacts(ServerStats.sample(counters).toJson(), engineFacts);
        return ServerStats.withFacts(ServerStats.withFacts(line, "host", hostFacts), "server", serverFacts);
    }

    /**
     * Which server this is: load generators on other hosts that record its stats name it by these,
     * and {@code merge} combines only loads that drove one and the same server process.
     */
    private Map<String, String> serverFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("strategy", strategy.id());
        facts.put("workload", workload.id());
        facts.put("threads", Integer.toString(threads));
        facts.put("pid", Long.toString(ProcessHandle.current().pid()));
        facts.put("startedAt", Long.toString(ManagementFactory.getRuntimeMXBean().getStartTime()));
        return facts;
    }

    private Map<String, String> engineFacts() {
        Map<String, String> facts = new LinkedHashMap<>(strategy.engineFacts());
        // which clock cpuNanos comes from: metadata.json records it with each server's command line
        facts.put("cpuClock", ProcessCpuClock.isPrecise() ? "clock_gettime(CLOCK_PROCESS_CPUTIME_ID), ns"
                : "times(2), 10 ms ticks");
        return facts;
    }

    /**
     * The JVM options the strategy declares it needs ({@code StrategyFacts.jvmOptions}, such as
     * {@code --enable-preview}) that this JVM was started without; none in a JVM this command
     * started for the purpose.
     */
    private List<String> missingJvmOptions() {
        if (Boolean.getBoolean(RELAUNCHED)) {
            return List.of();
        }
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return strategy.facts().jvmOptions().stream().filter(option -> !given.contains(option)).toList();
    }

    /**
     * Serves from a JVM started with the options this one lacks: the same java, JVM options, class
     * path and arguments (to {@link #main}), and this process's standard streams, so its output, its control channel
     * and its exit code are this command's. A signal that stops this JVM stops that one too.
     */
    private int relaunch(List<String> missing) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(missing);
        command.add("-D" + RELAUNCHED + "=true");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeCommand.class.getName()));
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        if (spec.root() != spec) { // a subcommand's arguments start with the command line's, up to "serve"
            args = args.subList(args.indexOf(spec.name()) + 1, args.size());
        }
        command.addAll(args);
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            throw new CliException(ExitStatus.FAILED, "cannot start a JVM with " + missing + " for "
                    + strategy.id() + ": " + e.getMessage());
        }
        Thread hook = new Thread(() -> {
            child.destroy();
            try {
                Runtime.getRuntime().halt(child.waitFor());
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }, "asyncbench-cli-relaunched");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            return ExitStatus.FAILED.code;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running and waits for the child itself
            }
        }
    }

    /** Answers 'stats' until 'quit' or the end of standard input, then stops the servers. */
    private int serveControlled(List<RunningServer> servers, List<ServerCounters> counters, String label,
                                PrintWriter out, PrintWriter err, Runnable announce) {
        // named, so that a recording of the server (run --explain) can leave the control channel out
        Thread.currentThread().setName(FlightRecording.CONTROL_THREAD);
        Stopper stopper = new Stopper(servers, label, out, err);
        Thread hook = new Thread(() -> Runtime.getRuntime().halt(stopper.stop().code),
                "asyncbench-cli-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        announce.run();
        FlightRecording flight = new FlightRecording();
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(controlInput, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.trim();
                if (command.equals("stats") || command.equals("stats gc")) {
                    out.println(statsLine(counters, command.equals("stats gc")));
                    out.flush();
                } else if (command.startsWith("jfr ")) {
                    out.println(flight.control(command.substring(4)));
                    out.flush();
                } else if (command.equals("quit")) {
                    break;
                } else if (!command.isEmpty()) {
                    err.println("asyncbench serve: unknown control command '" + command
                            + "' (known: stats, stats gc, jfr start, jfr stop FILE, jfr discard, quit)");
                    err.flush();
                }
            }
        } catch (IOException inputGone) {
            // the controlling process is gone: stop like on end of input
        } finally {
            flight.discard();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running and stops the servers itself
            }
        }
        return stopper.stop().code;
    }

    /** The spec the options describe; a wrong combination is a usage error. */
    public ServerSpec serverSpec() {
        if (port < 0 || port > 65535) {
            throw wrong("--port must be 0-65535, not " + port);
        }
        if (threads < 1) {
            throw wrong("--threads must be at least 1, not " + threads);
        }
        if (workload.role() != Workload.Role.SERVER) {
            throw wrong(workload + " runs in process, not as a server; serve one of: "
                    + String.join(", ", new Converters.ServerWorkloadIds()));
        }
        try {
            return new ServerSpec(workload, new InetSocketAddress(bind, port), threads,
                    SocketOptions.DEFAULTS, Limits.DEFAULTS, backends);
        } catch (IllegalArgumentException invalid) {
            // e.g. "gateway needs at least one backend address"
            throw wrong(invalid.getMessage());
        }
    }

    /**
     * Gives virtual threads the same budget as the event loops: the JDK reads this property when
     * it creates its scheduler, at the first virtual thread, which in a {@code serve} JVM is the
     * server's. A value given with -D wins; in a JVM that already ran virtual threads (tests) this
     * changes nothing.
     */
    private void applyVirtualThreadBudget() {
        if (System.getProperty(VIRTUAL_THREAD_PARALLELISM) == null) {
            System.setProperty(VIRTUAL_THREAD_PARALLELISM, Integer.toString(threads));
        }
    }

    private RunningServer start(ServerSpec serverSpec) {
        String where = HostPort.format(serverSpec.bindAddress());
        try {
            return strategy.start(serverSpec);
        } catch (BindException inUse) {
            throw new CliException(ExitStatus.FAILED, "cannot listen on " + where + ": "
                    + inUse.getMessage());
        } catch (IOException failed) {
            throw new CliException(ExitStatus.FAILED, "cannot start " + strategy.id() + " "
                    + workload + " on " + where + ": " + failed);
        } catch (UnsupportedWorkloadException notImplemented) {
            throw new CliException(ExitStatus.UNAVAILABLE, notImplemented.getMessage());
        }
    }

    /**
     * Blocks until the JVM shuts down (Ctrl-C, SIGTERM) or this thread is interrupted (an
     * in-process caller such as a test), then closes the server and prints its counters.
     */
    private static int runUntilStopped(List<RunningServer> servers, String label, PrintWriter out,
                                       PrintWriter err, Runnable announce) {
        // named, so that a recording of the server (run --explain) can leave the control channel out
        Thread.currentThread().setName(FlightRecording.CONTROL_THREAD);
        Stopper stopper = new Stopper(servers, label, out, err);
        Thread hook = new Thread(() -> {
            ExitStatus status = stopper.stop();
            // Without halt the JVM would report the signal (130, 143); the server stopped cleanly,
            // so the exit code says so. The main thread is still parked and never gets to return.
            Runtime.getRuntime().halt(status.code);
        }, "asyncbench-cli-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        announce.run();
        boolean interrupted = false;
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException stopRequested) {
            interrupted = true;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running and stops the server itself
            }
        }
        // Close first, re-assert the interrupt after: close() awaits the server's threads, which
        // an interrupted thread could not do.
        ExitStatus status = stopper.stop();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return status.code;
    }

    private ParameterException wrong(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Closes the servers once, from whichever of the hook and the main thread comes first. */
    private static final class Stopper {
        private final List<RunningServer> servers;
        private final String label;
        private final PrintWriter out;
        private final PrintWriter err;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile ExitStatus status = ExitStatus.OK;

        Stopper(List<RunningServer> servers, String label, PrintWriter out, PrintWriter err) {
            this.servers = servers;
            this.label = label;
            this.out = out;
            this.err = err;
        }

        ExitStatus stop() {
            if (stopped.compareAndSet(false, true)) {
                for (RunningServer server : servers) {
                    try {
                        server.close();
                        out.println(label + " stopped: " + server.counters());
                    } catch (RuntimeException closeFailed) {
                        status = ExitStatus.FAILED;
                        err.println("asyncbench serve: " + label + " did not stop cleanly: " + closeFailed);
                        err.flush();
                    }
                }
                out.flush();
            }
            return status;
        }
    }
}
