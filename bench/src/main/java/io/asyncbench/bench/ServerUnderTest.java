package io.asyncbench.bench;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.external.ExternalServer;
import io.asyncbench.external.ExternalServers;
import io.asyncbench.harness.ExternalServerSide;
import io.asyncbench.harness.OtherProcesses;
import io.asyncbench.harness.Placement;
import io.asyncbench.harness.ProcessLog;
import io.asyncbench.harness.RemoteServerSide;
import io.asyncbench.harness.ServerProcess;
import io.asyncbench.harness.ServerSide;
import io.asyncbench.harness.ServerStats;
import io.asyncbench.harness.StatsClient;
import io.asyncbench.load.ClientLoop;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.Traffic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The system under test of one JMH fork: the server process of the strategy being measured (plus,
 * for gateway and proxy, a backend process), started on the server's CPUs, or a server already
 * running elsewhere ({@code -Dasyncbench.target=host:port}).
 *
 * <p>The fork has exactly one at a time; {@link ServerMetrics} finds it through {@link #current()}.
 */
public final class ServerUnderTest implements AutoCloseable {

    /**
     * A server already running elsewhere; no process is started, and server metrics are absent
     * unless its stats port is given ({@link #TARGET_STATS}).
     */
    public static final String TARGET = "asyncbench.target";
    /** The {@code serve --stats-port} of the {@link #TARGET} server, HOST:PORT: its own figures. */
    public static final String TARGET_STATS = "asyncbench.targetStats";
    /** A file holding that stats port's token (a file: a -D value would show in every process list). */
    public static final String TARGET_TOKEN_FILE = "asyncbench.targetTokenFile";
    /**
     * Which strategy serves the gateway's and proxy's backends. Default: the first available of the
     * strategies that may ({@code StrategyFacts.backendRank}). Backends are the same for every
     * strategy under test, so that gateway and proxy figures differ only by the gateway or proxy:
     * the fastest available implementation serves them, on the load generator's CPUs, to leave the
     * server's CPUs to the server under test.
     */
    public static final String BACKEND_STRATEGY = "asyncbench.backendStrategy";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static volatile ServerUnderTest current;

    private final Workload workload;
    private final Placement placement;
    private final InetSocketAddress target;
    private final ServerSide server;
    private final ServerProcess backends;
    /** The load generator's loops against this server: an external server's open connections are theirs. */
    private final List<ClientLoop> loops = new CopyOnWriteArrayList<>();
    private final ToLongFunction<ServerStats> operations;
    /** A shipped reference server: one server per trial (see {@link #repetitionsHere()}). */
    private final boolean reference;
    private Duration warmedUp = Duration.ZERO;
    private boolean jitQuiet;
    /** How to start another one like it (a repetition on a fresh server), see {@link #freshServerIfDue}. */
    private Restart restart;
    /** Which server of the trial this is (0, 1, ...), and measured iterations begun so far in the trial. */
    private int repetition;
    private volatile int measuredIterations;
    /** The load generator's clients connected to this server, to reconnect them to its successor. */
    private final List<LoadClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Restart(String strategyId, int backendCount, ToLongFunction<ServerStats> operations,
                           Traffic traffic, int connections) {
    }

    private ServerUnderTest(Workload workload, Placement placement, InetSocketAddress target,
                            ServerSide server, ServerProcess backends,
                            ToLongFunction<ServerStats> operations) throws IOException {
        this.reference = false;
        this.workload = workload;
        this.placement = placement;
        this.target = target;
        this.server = server;
        this.backends = backends;
        this.operations = operations;
    }

    private ServerUnderTest(Workload workload, Placement placement, ExternalServer external,
                            ToLongFunction<ServerStats> operations) throws IOException {
        this.reference = external.reference();
        this.workload = workload;
        this.placement = placement;
        this.backends = null;
        this.operations = operations;
        this.server = ExternalServerSide.start(external, workload, placement.serverCommandPrefix(),
                this::verifiedOperations, this::openConnections);
        this.target = server.address();
    }

    /**
     * Starts the server of {@code strategyId} for {@code workload} (checking first that the
     * strategy is available and implements it), with {@code backendCount} backends for gateway
     * and proxy, and warms it up (see {@link #warm}) with {@code traffic} on up to
     * {@code connections} connections before anything is measured.
     *
     * @param operations how many operations a delta of server stats stands for (echo: bytes
     *                   written / message size; http: requests; ...), for the per-operation costs
     */
    public static ServerUnderTest start(String strategyId, Workload workload, int backendCount,
                                        ToLongFunction<ServerStats> operations, Traffic traffic,
                                        int connections) throws IOException {
        requireChosen(strategyId);
        Placement placement = Placement.fromSystemProperties();
        placement.pinThisProcessToLoadCpus();
        String external = System.getProperty(TARGET, "").trim();
        ServerUnderTest started;
        Optional<ExternalServer> externalServer = ExternalServers.fromSystemProperties(strategyId);
        if (!external.isEmpty()) {
            started = new ServerUnderTest(workload, placement, parse(external), remoteStats(parse(external)), null,
                    operations);
        } else if (externalServer.isPresent()) {
            if (!externalServer.get().commands().containsKey(workload)) {
                throw new IllegalStateException(strategyId + " has no command line for the " + workload + " workload");
            }
            started = new ServerUnderTest(workload, placement, externalServer.get(), operations);
        } else {
            requireServes(lookup(strategyId), workload);
            ServerProcess backends = null;
            ServerProcess server = null;
            try {
                List<InetSocketAddress> backendAddresses = List.of();
                if (workload == Workload.GATEWAY || workload == Workload.PROXY) {
                    Workload backendWorkload = workload == Workload.GATEWAY ? Workload.HTTP : Workload.ECHO;
                    String backendStrategy = backendStrategy(backendWorkload);
                    backends = ServerProcess.start(backendStrategy, backendWorkload,
                            backendCount, 1, List.of(), placement.loadCommandPrefix(), List.of(), START_TIMEOUT);
                    ProcessLog.record("backends", backendStrategy, backends);
                    backendAddresses = backends.addresses();
                }
                server = ServerProcess.start(strategyId, workload, 1, placement.serverThreads(),
                        backendAddresses, placement.serverCommandPrefix(), ExplainWindow.serverJvmFlags(),
                        START_TIMEOUT);
                ProcessLog.record("server", strategyId, server);
                started = new ServerUnderTest(workload, placement, server.address(), server, backends,
                        operations);
            } catch (IOException | RuntimeException failed) {
                if (server != null) {
                    server.close();
                }
                if (backends != null) {
                    backends.close();
                }
                throw failed;
            }
        }
        started.restart = new Restart(strategyId, backendCount, operations, traffic, connections);
        if (started.server != null) {
            started.warmWithJfrIfExplained(traffic, connections);
            started.awaitWarmupConnectionsClosed();
        }
        current = started;
        return started;
    }

    /**
     * Throughput from one server JVM cannot tell a strategy from the luck of that JVM (its JIT's
     * choices, where its heap landed): {@code asyncbench run} asks for R repetitions
     * (-D{@value #REPETITIONS}), and the measured iterations are split into R blocks, each on a
     * fresh server process, warmed up like the first. Call at the start of every iteration (before
     * the clients, which reconnect when {@link #current()} changed); returns the server to use.
     */
    public ServerUnderTest freshServerIfDue(IterationParams iteration) throws IOException {
        if (iteration.getType() != IterationType.MEASUREMENT) {
            return this;
        }
        int k = measuredIterations++;
        if (server == null) {
            return this; // an external target: nothing to restart
        }
        int perRepetition = iterationsPerRepetition(iteration.getCount(), repetitionsHere());
        if (k == 0 || k % perRepetition != 0) {
            return this;
        }
        // Only the server under test is replaced: the gateway's and proxy's backends are the same
        // for every strategy and not what is measured, so they keep running (and save their start).
        if (current == this) {
            current = null;
        }
        server.close();
        ServerUnderTest fresh = restart(restart);
        fresh.restart = restart;
        fresh.warmWithJfrIfExplained(restart.traffic(), restart.connections());
        fresh.awaitWarmupConnectionsClosed();
        current = fresh;
        fresh.repetition = repetition + 1;
        fresh.measuredIterations = measuredIterations;
        try {
            for (LoadClient client : clients) {
                client.reconnect(fresh);
            }
        } catch (LoadException wrong) {
            fresh.close();
            throw new IOException("connecting to the fresh server failed: " + wrong.getMessage(), wrong);
        }
        return fresh;
    }

    /** A fresh server like this one: an external server's command line started again, or the strategy's JVM. */
    private ServerUnderTest restart(Restart restart) throws IOException {
        Optional<ExternalServer> external = ExternalServers.fromSystemProperties(restart.strategyId());
        if (external.isPresent()) {
            try {
                return new ServerUnderTest(workload, placement, external.get(), restart.operations());
            } catch (IOException | RuntimeException failed) {
                if (backends != null) {
                    backends.close();
                }
                throw failed;
            }
        }
        ServerProcess next = null;
        try {
            next = ServerProcess.start(restart.strategyId(), workload, 1, placement.serverThreads(),
                    backends == null ? List.of() : backends.addresses(), placement.serverCommandPrefix(),
                    ExplainWindow.serverJvmFlags(), START_TIMEOUT);
            return new ServerUnderTest(workload, placement, next.address(), next, backends, restart.operations());
        } catch (IOException | RuntimeException failed) {
            if (next != null) {
                next.close();
            }
            if (backends != null) {
                backends.close();
            }
            throw failed;
        }
    }

    void attach(LoadClient client) {
        clients.add(client);
    }

    /** Measured iterations per server: the iterations split into {@code repetitions} blocks, the last maybe shorter. */
    static int iterationsPerRepetition(int iterations, int repetitions) {
        int r = Math.max(1, Math.min(repetitions, iterations));
        return (iterations + r - 1) / r;
    }

    /**
     * Fresh servers for this one's trial: one for a shipped reference (asyncio, uvloop, c-epoll),
     * which has no JIT whose luck a fresh process would average out, else {@link #repetitions()}.
     */
    private int repetitionsHere() {
        return reference ? 1 : repetitions();
    }

    /** How many fresh servers a trial's measured iterations are split between (1 unless run asks for more). */
    public static final String REPETITIONS = "asyncbench.serverRepetitions";

    static int repetitions() {
        String value = System.getProperty(REPETITIONS, "").trim();
        if (value.isEmpty()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value));
        } catch (NumberFormatException bad) {
            throw new IllegalArgumentException("-D" + REPETITIONS + " must be a number of servers, not " + value);
        }
    }

    /**
     * True when the measured iteration that just ended was {@code server}'s last: the next one
     * runs on a fresh server, or the trial is over. Read after the iteration, on any thread.
     */
    static boolean lastMeasuredIterationOnThisServer(ServerUnderTest server, IterationParams iteration) {
        if (server == null) {
            return false;
        }
        int done = server.measuredIterations;
        int perRepetition = iterationsPerRepetition(iteration.getCount(), server.repetitionsHere());
        return done >= iteration.getCount() || (server.server != null && done % perRepetition == 0);
    }

    /** Which server of the trial this is: 0 for the first, 1 for the first repetition, ... */
    public int repetition() {
        return repetition;
    }

    /** The most a new server is warmed up, in milliseconds (asyncbench run sets it per profile). */
    public static final String WARMUP_MAX = "asyncbench.serverWarmupMaxMillis";
    static final Duration DEFAULT_WARMUP_MAX = Duration.ofSeconds(10);
    public static final Duration WARMUP_MIN = Duration.ofSeconds(1);
    static final Duration WARMUP_WINDOW = Duration.ofMillis(250);
    /** A window is quiet when the JIT compiled for at most this long in it (4 % of the window). */
    static final long QUIET_COMPILE_MILLIS = 10;
    /** A window more than this many times faster than the one before: the server is still warming. */
    static final double STILL_CLIMBING = 1.10;
    /** Warm-up connections: enough to run every code path concurrently, few enough to open fast. */
    static final int WARMUP_CONNECTIONS = 64;

    /**
     * Drives the new server with the benchmark's own traffic until its JIT has gone quiet (two
     * windows in a row with almost no compilation and no climb in the rate), at least {@link #WARMUP_MIN}, at most the
     * profile's cap. Each benchmark starts a fresh server JVM pinned to its own CPUs, where the JIT
     * compilers compete with the IO threads: without this, the first seconds of every benchmark
     * measure the interpreter (a gateway ran at a quarter of its warm rate). The connections ramp
     * up 1, 4, 16, 64, as a service's load would: a cold gateway hit by 64 connections at once
     * misses its 1 s deadline. The client code in this JVM warms up on the way.
     */
    private void warm(Traffic traffic, int connections) throws IOException {
        long max = warmupMax().toNanos();
        long start = System.nanoTime();
        int target = Math.max(1, Math.min(connections, WARMUP_CONNECTIONS));
        int quietWindows = 0;
        double lastRate = Double.NaN;
        ServerStats before = server.stats();
        int forgiven = 0;
        int step = 1;
        while (true) {
            try (ClientLoop loop = new ClientLoop(traffic, target(), step, 0, Duration.ofSeconds(15))) {
                register(loop);
                try {
                    do {
                        long windowEnd = System.nanoTime() + WARMUP_WINDOW.toNanos();
                        while (System.nanoTime() < windowEnd) {
                            loop.awaitCompletion();
                        }
                        ServerStats now = server.stats();
                        // The JIT's time only grows when a compilation ends: a long C2 compile
                        // looks quiet while it runs. So the rate must also have stopped climbing.
                        double rate = operationsBetween(before, now);
                        boolean quiet = now.compileMillis() >= 0
                                && now.compileMillis() - before.compileMillis() <= QUIET_COMPILE_MILLIS
                                && !(rate > lastRate * STILL_CLIMBING);
                        quietWindows = quiet && step == target ? quietWindows + 1 : 0;
                        lastRate = step == target ? rate : Double.NaN;
                        before = now;
                        long elapsed = System.nanoTime() - start;
                        if ((quietWindows >= 2 && elapsed >= WARMUP_MIN.toNanos()) || elapsed >= max) {
                            warmedUp = Duration.ofNanos(elapsed);
                            jitQuiet = quietWindows >= 2;
                            return;
                        }
                    } while (step == target);
                } finally {
                    unregister(loop); // the loop closes: its connections are gone
                }
            } catch (LoadException wrong) {
                // A cold server can answer by the spec's own rules and still not as the benchmark
                // expects: a gateway whose JIT is compiling misses its 1 s deadline and answers 504
                // (seen once in a quick run, platform-threads). The warm-up is there to warm the JIT;
                // the measured windows check every reply. So the warm-up forgives a wrong reply
                // twice, saying so, and goes on at the same step with fresh connections; a third
                // ends the run as before, as does a server that died.
                if (++forgiven > WARMUP_WRONG_REPLIES_FORGIVEN || !server.isAlive()) {
                    close();
                    throw new IOException("warming the server up failed: " + wrong.getMessage(), wrong);
                }
                System.err.printf("asyncbench: warming %s up: %s; warming on with fresh connections%n",
                        server, firstLine(wrong.getMessage()));
                quietWindows = 0;
                lastRate = Double.NaN;
                before = server.stats();
                continue; // the same step again
            }
            step = Math.min(target, step * 4);
        }
    }

    /**
     * {@link #warm}, recorded with JFR and the recording discarded when this run explains the
     * benchmark ({@link ExplainWindow}): JFR's first start loads and compiles its own code, which
     * belongs in the warm-up, not in the recorded iteration. A JFR that will not start is left to
     * the recorded window to report.
     */
    private void warmWithJfrIfExplained(Traffic traffic, int connections) throws IOException {
        boolean recording = false;
        if (ExplainWindow.dir() != null && jvm()) {
            try {
                jfr("start");
                recording = true;
            } catch (IOException | RuntimeException e) {
                System.err.println("asyncbench: " + e.getMessage());
            }
        }
        warm(traffic, connections);
        if (recording) {
            jfr("discard");
        }
    }

    /** True when the server under test is a JVM of ours, which can record itself with JFR. */
    boolean jvm() {
        return server instanceof ServerProcess;
    }

    /** A JFR control command to the server JVM (see {@link ServerProcess#jfr}). */
    String jfr(String command) throws IOException {
        if (!(server instanceof ServerProcess process)) {
            throw new IllegalStateException("the server under test is not a JVM of ours");
        }
        return process.jfr(command);
    }

    /** The server process's id (a server of ours, see {@link #measurable()}). */
    long serverPid() {
        return server.pid();
    }

    /** Wrong replies a warm-up forgives (see {@link #warm}); the measured windows forgive none. */
    static final int WARMUP_WRONG_REPLIES_FORGIVEN = 2;

    private static String firstLine(String text) {
        String t = String.valueOf(text);
        int end = t.indexOf('\n');
        return end < 0 ? t : t.substring(0, end);
    }

    /** How long the server was warmed up before measuring. */
    public Duration warmedUp() {
        return warmedUp;
    }

    /** True when the warm-up ended because the server's JIT went quiet, false at the cap. */
    public boolean jitQuiet() {
        return jitQuiet;
    }

    static Duration warmupMax() {
        String millis = System.getProperty(WARMUP_MAX, "").trim();
        if (millis.isEmpty()) {
            return DEFAULT_WARMUP_MAX;
        }
        try {
            return Duration.ofMillis(Math.max(0, Long.parseLong(millis)));
        } catch (NumberFormatException bad) {
            throw new IllegalArgumentException("-D" + WARMUP_MAX + " must be milliseconds, not " + millis);
        }
    }

    /**
     * Waits (at most 5 s) until the server has closed the warm-up's connections, so that the first
     * iteration (and the memory step's connection count) starts from none. No GC: a measured
     * window must not start on a heap emptied for it.
     */
    private void awaitWarmupConnectionsClosed() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ServerStats now = server.stats();
        while (now.connectionsOpened() != now.connectionsClosed() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // the server closes its side when it reads our FIN; nothing to poll but stats
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = server.stats();
        }
    }

    /**
     * The server's stats after a full GC (the live heap), or null for an external target. Only the
     * memory step asks for it, never a measured window.
     */
    public ServerStats statsAfterGc() {
        if (server == null) {
            return null;
        }
        try {
            return server.stats(true);
        } catch (IOException e) {
            throw new UncheckedIOException("the server stopped answering: " + e.getMessage(), e);
        }
    }

    /** The system under test of this fork, or null before a benchmark started one. */
    public static ServerUnderTest current() {
        return current;
    }

    static Strategy lookup(String strategyId) {
        requireChosen(strategyId);
        return Strategies.byId(strategyId);
    }

    /** Fails, naming the strategies there are, when JMH ran with the placeholder of {@code strategy}. */
    static void requireChosen(String strategyId) {
        if (AsyncBenchmark.STRATEGY_PLACEHOLDER.equals(strategyId)) {
            throw new IllegalArgumentException("the strategy parameter is not set: run with -p strategy=ID "
                    + "(here: " + String.join(", ", Strategies.ids(Strategies.all())) + "), or use asyncbench run");
        }
    }

    /** Throws, with the reason, unless the strategy can serve the workload on this machine. */
    static void requireServes(Strategy strategy, Workload workload) {
        Availability availability = strategy.availability();
        if (!availability.available()) {
            throw new IllegalStateException("strategy " + strategy.id() + " is unavailable here: "
                    + availability.reason());
        }
        if (!strategy.plays(workload)) {
            throw new IllegalStateException("strategy " + strategy.id() + " does not implement the "
                    + workload + " workload");
        }
    }

    /** The strategy that serves backends for {@code backendWorkload}: the property, or the preference. */
    public static String backendStrategy(Workload backendWorkload) {
        String chosen = System.getProperty(BACKEND_STRATEGY, "").trim();
        if (!chosen.isEmpty()) {
            return chosen;
        }
        for (Strategy s : Strategies.backendCandidates(Strategies.all())) {
            if (s.availability().available() && s.plays(backendWorkload)) {
                return s.id();
            }
        }
        throw new IllegalStateException("no available strategy that may serve backends serves " + backendWorkload
                + " (a strategy offers itself with StrategyFacts.withBackendRank)");
    }

    /** The {@link #TARGET_STATS} port's view of a server elsewhere, or null when none is given. */
    private static RemoteServerSide remoteStats(InetSocketAddress target) throws IOException {
        String stats = System.getProperty(TARGET_STATS, "").trim();
        if (stats.isEmpty()) {
            return null;
        }
        String tokenFile = System.getProperty(TARGET_TOKEN_FILE, "").trim();
        if (tokenFile.isEmpty()) {
            throw new IllegalStateException("-D" + TARGET_STATS + " needs -D" + TARGET_TOKEN_FILE);
        }
        String token = Files.readString(Path.of(tokenFile)).trim();
        return new RemoteServerSide(target, StatsClient.connect(parse(stats), token, START_TIMEOUT));
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("-D" + TARGET + " must be HOST:PORT, not " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public Workload workload() {
        return workload;
    }

    public Placement placement() {
        return placement;
    }

    /** Where the load generator connects. */
    public InetSocketAddress target() {
        return target;
    }

    /** True when the server's stats can be asked for: a process of ours, or a stats port elsewhere. */
    public boolean measurable() {
        return server != null;
    }

    /** True when the server is measurable and runs on this host's CPUs (not through a stats port). */
    public boolean onThisHost() {
        return server != null && !(server instanceof RemoteServerSide);
    }

    /** The server's stats now, or null for an external target. */
    public ServerStats stats() {
        return statsOf(server, "server");
    }

    /** The gateway's or proxy's backend process's stats now, or null when there is none. */
    public ServerStats backendStats() {
        return statsOf(backends, "backends");
    }

    private static ServerStats statsOf(ServerSide process, String who) {
        if (process == null) {
            return null;
        }
        try {
            return process.stats();
        } catch (IOException e) {
            throw new UncheckedIOException("the " + who + " stopped answering: " + e.getMessage(), e);
        }
    }

    /** The pids of our processes on the server's CPUs: the server. */
    public List<Long> serverPids() {
        return OtherProcesses.pids(server);
    }

    /** The pids of our processes on the load CPUs besides this one: the backends. */
    public List<Long> loadPids() {
        return OtherProcesses.pids(backends);
    }

    /** Operations between two stats snapshots, counted by the server itself. */
    public long operationsBetween(ServerStats before, ServerStats after) {
        if (server != null && server.external()) {
            return after.requests() - before.requests(); // the load generator's verified replies
        }
        ServerStats delta = new ServerStats(after.cpuNanos() - before.cpuNanos(),
                after.allocatedBytes() - before.allocatedBytes(), after.rssBytes(),
                after.heapUsedBytes(), after.threads(), after.gcCount() - before.gcCount(),
                after.gcMillis() - before.gcMillis(), after.compileMillis() - before.compileMillis(),
                after.connectionsOpened() - before.connectionsOpened(),
                after.connectionsClosed() - before.connectionsClosed(),
                after.bytesRead() - before.bytesRead(), after.bytesWritten() - before.bytesWritten(),
                after.requests() - before.requests(), after.errors() - before.errors());
        return operations.applyAsLong(delta);
    }

    /**
     * Counts {@code loop}'s connections as this server's open connections (for an external server,
     * which counts nothing itself; its operations are {@link ClientLoop#verifiedInThisJvm()}).
     */
    public void register(ClientLoop loop) {
        loops.add(loop);
    }

    /** Forgets {@code loop} (it is closing). */
    public void unregister(ClientLoop loop) {
        loops.remove(loop);
    }

    /** True when the server is an external one, measured from /proc (see {@link ExternalServerSide}). */
    public boolean external() {
        return server != null && server.external();
    }

    private long verifiedOperations() {
        return ClientLoop.verifiedInThisJvm();
    }

    private long openConnections() {
        return loops.stream().mapToLong(ClientLoop::connections).sum();
    }

    @Override
    public void close() {
        if (current == this) {
            current = null;
        }
        if (server != null) {
            server.close();
        }
        if (backends != null) {
            backends.close();
        }
    }
}
