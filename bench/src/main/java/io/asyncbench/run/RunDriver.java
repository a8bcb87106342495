package io.asyncbench.run;

import io.asyncbench.api.Workload;
import io.asyncbench.bench.ConnectionFairness;
import io.asyncbench.bench.ExplainWindow;
import io.asyncbench.bench.MemoryStep;
import io.asyncbench.bench.ServerUnderTest;
import io.asyncbench.external.ExternalServers;
import io.asyncbench.harness.FlightRecording;
import io.asyncbench.harness.JvmFlags;
import io.asyncbench.harness.OtherProcesses;
import io.asyncbench.harness.Placement;
import io.asyncbench.harness.ProcessLog;
import io.asyncbench.harness.ServerStats;
import io.asyncbench.load.HttpEndpoint;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.Traffic;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a {@link Plan}: each case through JMH's Runner API on its own (so one failure does not end
 * the run, and progress can be shown), then the open-loop latency runs of the cases that seed
 * them, writing the results folder as it goes.
 */
public final class RunDriver {

    /**
     * How a run is set up.
     *
     * @param ratesFrom an earlier run's common open-loop ladders to drive at ({@code --rates-from}), or null
     */
    public record Settings(Plan plan, Path out, Placement placement, int cores, String target,
                           String backendStrategy, boolean verbose, PinnedRates ratesFrom, RemoteStats remote) {
    }

    /**
     * A {@code --target} server's stats port ({@code serve --stats-port}): every fork measures the
     * server through it, and metadata.json records that the server was remote and what it said
     * about its host and JVM.
     *
     * @param stats     HOST:PORT of the stats port
     * @param tokenFile the file holding its token
     * @param firstLine the stats line read when the run began
     */
    public record RemoteStats(String stats, Path tokenFile, String firstLine) {
    }

    private final Settings settings;
    private final PrintWriter console;
    private ResultsFolder folder;
    private RunMetadata metadata;
    private int failed;
    private OpenLoopPhase openLoop;

    public RunDriver(Settings settings, PrintWriter console) {
        this.settings = settings;
        this.console = console;
    }

    /** The results folder of the run, once it started. */
    public ResultsFolder folder() {
        return folder;
    }

    /** Cases that ran and failed (not counting those skipped with a reason). */
    public int failed() {
        return failed + (openLoop == null ? 0 : openLoop.failed());
    }

    /**
     * Runs the whole plan. Never throws for a failing benchmark: each is recorded and the run goes
     * on. Throws only when the results folder itself cannot be written.
     */
    public void run() throws IOException, InterruptedException {
        // One asyncbench run per machine: JMH releases its own lock between our cases, so a second
        // run would slip in between them and disturb the first.
        Path runLock = Path.of(System.getProperty("java.io.tmpdir"), "asyncbench-run.lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(runLock,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = channel.tryLock()) {
            if (held == null) {
                throw new IOException("another 'asyncbench run' is in progress on this machine (it holds "
                        + runLock + "); wait until it ends: two runs at once would disturb each other's numbers");
            }
            requireNoOtherJmhRun();
            runHoldingTheLock();
        }
    }

    private void runHoldingTheLock() throws IOException, InterruptedException {
        Plan plan = settings.plan();
        Instant startedAt = Instant.now();
        long startNanos = System.nanoTime();
        folder = ResultsFolder.create(settings.out());
        Placement placement = settings.placement();
        // This JVM starts the open-loop servers and the JMH forks: it runs where the load runs.
        placement.pinThisProcessToLoadCpus();
        for (String flag : forkProperties()) {
            String[] kv = flag.substring(2).split("=", 2);
            System.setProperty(kv[0], kv[1]);
        }
        metadata = new RunMetadata(plan.profile(), startedAt, placement, settings.cores(), parameters(),
                plan.strategies());
        for (Plan.Skip skip : plan.skips()) {
            metadata.failure(skip.benchmark(), skip.params(), skip.message());
        }
        Thread onInterrupt = new Thread(() -> {
            metadata.put("interrupted", true);
            finish(Instant.now());
        }, "asyncbench-run-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            writeMetadata();
            Progress progress = new Progress(plan, startNanos);
            console.printf("asyncbench run: profile %s, %d benchmarks (%d not measured, see metadata.json), "
                    + "about %s; server %s, load generator %s%n", plan.profile().id(), plan.cases().size(),
                    plan.skips().size(), Progress.format(plan.estimate()), placement.describeServer(),
                    placement.describeLoadGenerator());
            console.printf("results: %s%n", folder.dir());
            console.flush();
            List<BenchmarkCase> cases = plan.cases();
            openLoop = new OpenLoopPhase(plan.profile().openLoop(), settings.ratesFrom(), placement, folder,
                    metadata, console);
            // The open-loop runs of a workload wait until every strategy's peak of it is known: the
            // common ladder's rates are fractions of the slowest one (the plan is workload by workload).
            List<OpenLoopPhase.Seed> seeds = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                BenchmarkCase c = cases.get(i);
                console.printf("%s %s ", progress.counter(i), c.label());
                console.flush();
                JsonNode row = runJmh(c, i);
                if (row != null) {
                    console.printf("  %s%n", Scores.summary(row));
                    warnIfBusy(row);
                    if (c.openLoop()) {
                        var external = plan.externals().stream().filter(e -> e.name().equals(c.strategy()))
                                .findFirst();
                        seeds.add(new OpenLoopPhase.Seed(c, row.path("primaryMetric").path("score").asDouble(),
                                external.isPresent(), plan.profile().ownPeakFractions(
                                        external.map(e -> e.reference()).orElse(false))));
                    }
                }
                if (plan.memoryStep(c)) {
                    runMemoryStep(c, row);
                }
                boolean lastOfWorkload = i + 1 == cases.size() || cases.get(i + 1).workload() != c.workload();
                if (lastOfWorkload && !seeds.isEmpty()) {
                    openLoop.run(seeds);
                    seeds.clear();
                }
                progress.finished(c);
                console.printf("        %s%n", progress.times(System.nanoTime()));
                console.flush();
                writeMetadata();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook writes the metadata
            }
        }
        finish(Instant.now());
        console.printf("done in %s: %d results, %d open-loop histograms, %d failed, %d not measured%n",
                Progress.format(Duration.ofNanos(System.nanoTime() - startNanos)), folder.resultCount(),
                folder.latencyCount(), failed(), plan.skips().size());
        console.flush();
    }

    /**
     * JMH lets one benchmark run at a time per machine (a lock on java.io.tmpdir/jmh.lock); with
     * another run in progress every case would fail, and the numbers of both would be wrong.
     */
    static void requireNoOtherJmhRun() throws IOException {
        Path lock = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = channel.tryLock();
            if (held == null) {
                throw new IOException("another JMH benchmark run is in progress on this machine (it holds "
                        + lock + "); wait until it ends: two runs at once would disturb each other's numbers");
            }
            held.release();
        } catch (java.nio.channels.OverlappingFileLockException sameJvm) {
            throw new IOException("a JMH run is already in progress in this JVM", sameJvm);
        }
    }

    private synchronized void finish(Instant at) {
        metadata.finished(at);
        try {
            writeMetadata();
        } catch (IOException e) {
            console.println("asyncbench run: cannot write metadata.json: " + e);
        }
    }

    private synchronized void writeMetadata() throws IOException {
        folder.writeMetadata(metadata.asMap());
    }

    /** The properties every fork (and this JVM's open-loop servers) gets. */
    private List<String> forkProperties() {
        List<String> props = new ArrayList<>(settings.placement().systemProperties());
        props.add("-D" + ServerUnderTest.WARMUP_MAX + "=" + settings.plan().profile().serverWarmupMax().toMillis());
        props.add("-D" + ServerUnderTest.REPETITIONS + "=" + settings.plan().profile().jmh().serversPerFork());
        if (folder != null) {
            props.add("-D" + ConnectionFairness.DIR + "=" + folder.connections().toAbsolutePath());
        }
        if (settings.backendStrategy() != null) {
            props.add("-D" + ServerUnderTest.BACKEND_STRATEGY + "=" + settings.backendStrategy());
        }
        if (settings.target() != null) {
            props.add("-D" + ServerUnderTest.TARGET + "=" + settings.target());
        }
        if (settings.remote() != null) {
            props.add("-D" + ServerUnderTest.TARGET_STATS + "=" + settings.remote().stats());
            props.add("-D" + ServerUnderTest.TARGET_TOKEN_FILE + "=" + settings.remote().tokenFile().toAbsolutePath());
        }
        // External servers (references, --external): each fork starts the one it measures.
        props.addAll(ExternalServers.asFlags(settings.plan().externals()));
        return props;
    }

    private Map<String, Object> parameters() {
        Profile.Jmh jmh = settings.plan().profile().jmh();
        Profile.OpenLoopSettings open = settings.plan().profile().openLoop();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("forks", jmh.forks());
        p.put("serversPerFork", jmh.serversPerFork());
        p.put("warmup", jmh.warmupIterations() + " x " + jmh.warmupTime().toMillis() + " ms");
        p.put("measurement", jmh.measurementIterations() + " x " + jmh.measurementTime().toMillis() + " ms");
        p.put("profilers", "gc (in the JMH fork: the load generator, or the timers); server-side "
                + "figures from the server process's own stats");
        p.put("serverWarmup", "each new server driven with the benchmark's traffic until its JIT went quiet, "
                + ServerUnderTest.WARMUP_MIN.toMillis() + " ms to " + settings.plan().profile().serverWarmupMax().toMillis() + " ms");
        p.put("openLoopCommonLadder", open.commonLadder() + " of the slowest strategy's peak of each setting"
                + " (the same rates for every strategy)");
        if (settings.ratesFrom() != null) {
            p.put("openLoopRatesFrom", settings.ratesFrom().source().toString() + ": its common ladder's rates, "
                    + "for every setting it ran (run --rates-from)");
        }
        p.put("openLoopFractionsOfPeak", open.fractionsOfPeak().toString());
        p.put("openLoopRounds", open.rounds() + " per setting: every strategy's server up, each rate in turn, "
                + "every strategy in turn runs one slice of it per round (the machine's drift falls on all alike)");
        p.put("openLoopSubWindows", open.subWindows() + " per rate and strategy, over its slices (server CPU per "
                + "request: " + CpuAtRate.CONFIDENCE_PERCENT + " % confidence interval over them)");
        p.put("openLoopSettle", open.settle().toMillis() + " ms per server at its heaviest rate, not recorded");
        p.put("openLoopSustainRule", "fell behind when fewer than " + io.asyncbench.load.Sustain.MIN_SHARE_PERCENT
                + " % of the intended requests left, or came back, within the window (plus a tenth of it,"
                + " at least 100 ms), or the last reply came later, or the median send lag exceeded "
                + io.asyncbench.load.Sustain.MAX_MEDIAN_SEND_LAG_NANOS / 1_000_000 + " ms");
        p.put("openLoopWarmup", open.warmup().toMillis() + " ms before each slice, not recorded");
        p.put("openLoopDuration", open.duration().toMillis() + " ms per rate and strategy, over its slices");
        p.put("memoryStep", "per strategy, after its first http throughput case: a fresh warmed-up http server, "
                + MemoryStep.LOW + " then " + MemoryStep.HIGH + " idle keep-alive connections, RSS and live heap "
                + "(after a full GC) at each; the slopes in memory.json");
        if (settings.plan().explain()) {
            p.put("explain", "the last measured iteration of every http and echo throughput case's fork: a JFR "
                    + "recording by the server JVM (default settings, "
                    + ExplainWindow.sampling() + ", allocations up to " + ExplainWindow.ALLOCATION_THROTTLE
                    + ", the socket and file IO events off; server JVMs also run with "
                    + String.join(" ", FlightRecording.PRECISE_FRAMES_FLAGS)
                    + ") and the kernel's counts of its threads (read/write system calls, context switches), "
                    + "in explain/");
        }
        p.put("busyMachineThreshold", OtherProcesses.BUSY_PERCENT + " % of a core taken by other processes on the "
                + "server's or the load generator's CPUs");
        p.put("serverJvmFlags", String.join(" ", JvmFlags.SERVER));
        p.put("forkJvmFlags", String.join(" ", JvmFlags.forkFlags()));
        p.put("serverThreads", settings.placement().serverThreads());
        p.put("loadGeneratorThreads", settings.placement().loadThreads());
        p.put("target", settings.target() == null ? "a server process started per benchmark" : settings.target());
        if (settings.remote() != null) {
            // one value per parameter: the report lists parameters as name and text
            p.put("targetServer", "remote, measured through its stats port " + settings.remote().stats());
            p.put("targetServerHost", ServerStats.describeFacts(settings.remote().firstLine(), "host"));
            p.put("targetServerEngine", ServerStats.describeFacts(settings.remote().firstLine(), "engine"));
        }
        String backend;
        try {
            backend = settings.backendStrategy() != null ? settings.backendStrategy()
                    : ServerUnderTest.backendStrategy(Workload.HTTP) + " (http), "
                    + ServerUnderTest.backendStrategy(Workload.ECHO) + " (echo)";
        } catch (IllegalStateException none) {
            backend = "none available";
        }
        p.put("backendStrategy", backend);
        return p;
    }

    // ------------------------------------------------------------------ one JMH case

    /** Runs one case; returns its result row, or null after recording the failure. */
    private JsonNode runJmh(BenchmarkCase c, int index) throws IOException {
        Profile.Jmh jmh = settings.plan().profile().jmh();
        String name = String.format("%03d-%s-%s-%s", index + 1, c.workload().id(), c.method(), c.strategy());
        Path log = folder.logs().resolve(name + ".log");
        Path json = folder.logs().resolve(name + ".json");
        Path processLog = folder.logs().resolve(name + ".processes.jsonl");
        List<String> jvmArgs = new ArrayList<>(JvmFlags.forkFlags());
        jvmArgs.addAll(forkProperties());
        jvmArgs.add("-D" + ProcessLog.FILE + "=" + processLog);
        if (explains(c)) {
            jvmArgs.add("-D" + ExplainWindow.DIR + "=" + folder.explain().toAbsolutePath());
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(c.benchmark()) + "$")
                .param("strategy", c.strategy())
                .forks(jmh.forks())
                .warmupIterations(jmh.warmupIterations())
                .warmupTime(TimeValue.milliseconds(jmh.warmupTime().toMillis()))
                .measurementIterations(jmh.measurementIterations())
                .measurementTime(TimeValue.milliseconds(jmh.measurementTime().toMillis()))
                .threads(Math.max(1, Math.min(settings.placement().loadThreads(), c.connections())))
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .timeout(TimeValue.minutes(3))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        c.params().forEach(options::param);
        if (!settings.verbose()) {
            options.output(log.toString());
        }
        String problem;
        try {
            new Runner(options.build()).run();
            recordProcesses(c.benchmark(), c.allParams(), processLog);
            List<JsonNode> rows = Files.exists(json) ? folder.addJmhResults(json) : List.of();
            Files.deleteIfExists(json);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            problem = "JMH produced no result";
        } catch (RunnerException | RuntimeException e) {
            problem = FailureText.of(e, log);
            Files.deleteIfExists(json);
            recordProcesses(c.benchmark(), c.allParams(), processLog);
        }
        failed++;
        metadata.failure(c.benchmark(), c.allParams(), problem + " (log: " + folder.dir().relativize(log) + ")");
        console.printf("  FAILED: %s%n", FailureText.firstLine(problem));
        return null;
    }

    /**
     * True when {@code --explain} records this case: the http and echo throughput benchmarks, on a
     * server this run starts (not a {@code --target}).
     */
    boolean explains(BenchmarkCase c) {
        return settings.plan().explain() && settings.target() == null && Plan.explainable(c);
    }

    /** Copies the processes a case started (ProcessLog's lines) into metadata.json. */
    private void recordProcesses(String benchmark, Map<String, String> params, Path processLog) {
        recordProcesses(metadata, benchmark, params, processLog);
    }

    /** Copies the processes a case started (ProcessLog's lines) into {@code metadata}. */
    static void recordProcesses(RunMetadata metadata, String benchmark, Map<String, String> params, Path processLog) {
        if (!Files.exists(processLog)) {
            return;
        }
        List<Object> started = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(processLog)) {
                if (!line.isBlank()) {
                    started.add(JSON.readValue(line, Object.class));
                }
            }
        } catch (IOException unreadable) {
            started.add(Map.of("error", "cannot read " + processLog + ": " + unreadable.getMessage()));
        }
        metadata.processes(benchmark, params, started);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** One line when processes other than ours took more than 5 % of a core during the case. */
    private void warnIfBusy(JsonNode row) {
        JsonNode secondary = row.path("secondaryMetrics");
        double server = secondary.path("otherCpuPercentServerCpus").path("score").asDouble(Double.NaN);
        double load = secondary.path("otherCpuPercentLoadCpus").path("score").asDouble(Double.NaN);
        String busy = Scores.busyMachine(server, load);
        if (busy != null) {
            console.printf("        BUSY MACHINE: %s%n", busy);
        }
    }

    // ------------------------------------------------------------------ memory per connection

    /**
     * Memory per connection of the case's strategy (MemoryStep): a fresh http server, idle
     * connections at two counts, the slopes into memory.json and beside the case's result.
     */
    private void runMemoryStep(BenchmarkCase c, JsonNode row) throws IOException {
        console.printf("        memory per connection, %,d -> %,d idle connections: ", MemoryStep.LOW, MemoryStep.HIGH);
        console.flush();
        try {
            MemoryStep.Result m = MemoryStep.measure(c.strategy(), MemoryStep.LOW, MemoryStep.HIGH);
            folder.addMemory(m, row);
            console.printf("RSS %,.0f B + live heap %,.0f B per connection (%.1f s)%n",
                    m.rssBytesPerConnection(), m.liveHeapBytesPerConnection(), m.millis() / 1000.0);
        } catch (LoadException | IOException | RuntimeException e) {
            failed++;
            Map<String, String> params = new LinkedHashMap<>(c.allParams());
            params.put("memoryStep", MemoryStep.LOW + "->" + MemoryStep.HIGH);
            metadata.failure(c.benchmark().replace("." + c.method(), ".memory"), params,
                    "memory per connection failed: " + e.getMessage());
            console.printf("FAILED: %s%n", FailureText.firstLine(String.valueOf(e.getMessage())));
        }
        console.flush();
    }

    // ------------------------------------------------------------------ open loop

    /** The open-loop traffic of a case: the same as its closed loop, without pipelining. */
    static Traffic trafficOf(BenchmarkCase c) {
        Map<String, String> p = c.params();
        return switch (c.workload()) {
            case ECHO -> new Traffic.Echo(Integer.parseInt(p.get("size")));
            case HTTP -> new Traffic.Http(HttpEndpoint.byId(p.get("endpoint")), 1);
            case GATEWAY -> new Traffic.Gateway(Integer.parseInt(p.get("backends")),
                    Integer.parseInt(p.get("delayMs")));
            case PROXY, TIMERS -> throw new IllegalArgumentException("no open loop for " + c.workload());
        };
    }

    static long seconds(Duration d) {
        return TimeUnit.NANOSECONDS.toSeconds(d.toNanos());
    }
}
