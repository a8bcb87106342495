package io.asyncbench.run;

import io.asyncbench.api.Workload;
import io.asyncbench.bench.OtherProcesses;
import io.asyncbench.bench.Placement;
import io.asyncbench.bench.ProcessLog;
import io.asyncbench.bench.ServerStats;
import io.asyncbench.bench.ServerUnderTest;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.OpenLoop;
import io.asyncbench.load.Sustain;
import io.asyncbench.load.Traffic;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.HdrHistogram.Histogram;

/**
 * The open-loop runs of one workload, after every throughput case of it ran (so that every
 * strategy's peak is known): for each benchmark setting, the common ladder of absolute rates
 * ({@link RateLadder}: the same rates for every strategy, the headline), then each strategy's own-peak
 * fractions (the second view), each strategy against one fresh server.
 *
 * <p>Each rate runs unrecorded for the warm-up on a schedule of its own, then for the measured window,
 * while the server's stats are read at the boundaries of its sub-windows ({@link CpuAtRate}: server
 * CPU per request at that rate, with its spread). Each run records whether it kept up
 * ({@link Sustain}); one that fell behind is written like any other, marked, so the report can say
 * "could not sustain R/s" rather than show a latency at R.
 */
final class OpenLoopPhase {

    /**
     * A throughput case that seeds open-loop runs, the peak it measured, and the fractions of that
     * peak it runs at after the common ladder. An external server's (a reference, or one a user
     * brought) runs at the common rates like any strategy, but never sets the ladder: a JVM style
     * must not be compared at a fraction of asyncio's peak.
     */
    record Seed(BenchmarkCase c, double peak, boolean external, List<Double> ownPeakFractions) {
    }

    /** One rate to run: common (a fraction of the slowest peak) or a fraction of the strategy's own. */
    private record Rung(boolean common, double rate, double fraction) {
    }

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(15);
    /** The first open-loop run of this JVM warms up longer: its client code is still interpreted. */
    private static final Duration FIRST_OPEN_LOOP_WARMUP = Duration.ofSeconds(2);

    private final Profile.OpenLoopSettings open;
    /** An earlier run's common ladders to drive at instead of this run's own, or null. */
    private final PinnedRates pinned;
    private final Placement placement;
    private final ResultsFolder folder;
    private final RunMetadata metadata;
    private final PrintWriter console;
    private boolean clientWarm;
    private int failed;

    OpenLoopPhase(Profile.OpenLoopSettings open, PinnedRates pinned, Placement placement, ResultsFolder folder,
                  RunMetadata metadata, PrintWriter console) {
        this.open = open;
        this.pinned = pinned;
        this.placement = placement;
        this.folder = folder;
        this.metadata = metadata;
        this.console = console;
    }

    /** Open-loop runs that failed (recorded in metadata.json). */
    int failed() {
        return failed;
    }

    /** Runs the open loop of every seed, setting by setting, in the order given. */
    void run(List<Seed> seeds) throws InterruptedException {
        Map<String, List<Seed>> bySetting = new LinkedHashMap<>();
        for (Seed s : seeds) {
            bySetting.computeIfAbsent(s.c().benchmarkClass() + " " + s.c().paramText(), k -> new ArrayList<>()).add(s);
        }
        for (List<Seed> setting : bySetting.values()) {
            BenchmarkCase first = setting.get(0).c();
            RateLadder ladder = pinned == null ? null : pinned.ladder(first.workload().id(), recordedParams(first));
            if (ladder != null) {
                console.printf("        open loop %s %s: common rates %s/s, pinned: those of %s%n",
                        first.workload().id(), first.paramText(), rateList(ladder), pinned.source());
            } else {
                if (pinned != null) {
                    console.printf("        open loop %s %s: %s did not run this setting; its ladder is this run's own%n",
                            first.workload().id(), first.paramText(), pinned.source());
                }
                ladder = RateLadder.of(ladderPeaks(setting), open.commonLadder());
                if (ladder != null) {
                    console.printf("        open loop %s %s: common rates %s/s (%s of %s's peak, %,.0f/s)%n",
                            first.workload().id(), first.paramText(), rateList(ladder),
                            ladder.fractions().stream().map(f -> Math.round(f * 100) + " %").toList(),
                            ladder.slowestStrategy(), ladder.slowestPeak());
                }
            }
            for (Seed s : setting) {
                if (s.peak() > 0 && Double.isFinite(s.peak())) {
                    runStrategy(s, ladder);
                }
            }
        }
        console.flush();
    }

    private static List<String> rateList(RateLadder ladder) {
        return ladder.rates().stream().map(r -> String.format("%,.0f", r)).toList();
    }

    /** The parameters an open-loop run is recorded with: the case's, one request at a time. */
    static Map<String, String> recordedParams(BenchmarkCase c) {
        Map<String, String> params = new LinkedHashMap<>(c.params());
        if (params.containsKey("pipeline")) {
            params.put("pipeline", "1");
        }
        return params;
    }

    /** The peaks that set a setting's common ladder: every strategy's but an external server's. */
    static Map<String, Double> ladderPeaks(List<Seed> setting) {
        Map<String, Double> peaks = new LinkedHashMap<>();
        setting.stream().filter(s -> !s.external()).forEach(s -> peaks.put(s.c().strategy(), s.peak()));
        return peaks;
    }

    private void runStrategy(Seed seed, RateLadder ladder) throws InterruptedException {
        BenchmarkCase c = seed.c();
        List<Rung> rungs = new ArrayList<>();
        if (ladder != null) {
            for (int i = 0; i < ladder.rates().size(); i++) {
                rungs.add(new Rung(true, ladder.rates().get(i), ladder.fractions().get(i)));
            }
        }
        for (double f : seed.ownPeakFractions()) {
            rungs.add(new Rung(false, Math.max(1, seed.peak() * f), f));
        }
        Traffic traffic = RunDriver.trafficOf(c);
        int backends = c.workload() == Workload.GATEWAY ? Integer.parseInt(c.params().get("backends")) : 0;
        int connections = c.connections();
        int threads = Math.max(1, Math.min(placement.loadThreads(), connections));
        Map<String, String> params = recordedParams(c);
        console.printf("        %s:%n", c.strategy());
        try (ServerUnderTest server = startServer(c, backends, traffic, connections)) {
            long readCost = statsReadCost(server);
            // Heaviest rate first: a fresh server's JIT is still compiling the open loop's paths when
            // its first window runs, and the compile time lands in that window's CPU per request.
            // The heaviest rate carries the most requests to share it; the lightest, measured last,
            // then meets a quiet JIT (lightest first, its CPU per request scattered by ±75 % between
            // sub-windows).
            rungs.sort(java.util.Comparator.comparing(Rung::common).reversed()
                    .thenComparing(java.util.Comparator.comparingDouble(Rung::rate).reversed()));
            for (Rung rung : rungs) {
                console.printf("          %s %3.0f %% of %s = %,.0f/s: ", rung.common() ? "common" : "own   ",
                        rung.fraction() * 100, rung.common() ? "slowest peak" : "own peak   ", rung.rate());
                console.flush();
                // The warm-up at this rate runs on its own schedule, not recorded: a stall in it
                // (this JVM's JIT compiling the open-loop client the first time) must not leave a
                // backlog that the measured window would then count against the server.
                Duration warmup = clientWarm ? open.warmup() : open.warmup().plus(FIRST_OPEN_LOOP_WARMUP);
                OpenLoop.run(server.target(), traffic, connections, threads, rung.rate(), Duration.ZERO, warmup,
                        REPLY_TIMEOUT);
                clientWarm = true;
                measure(c, server, traffic, connections, threads, params, rung, seed.peak(), ladder, readCost);
            }
        } catch (LoadException | IOException | RuntimeException e) {
            failed++;
            Map<String, String> failedParams = new LinkedHashMap<>(c.allParams());
            failedParams.put("openLoop", "true");
            metadata.failure(c.benchmark().replace("." + c.method(), ".openLoop"), failedParams,
                    "open-loop latency failed: " + e.getMessage());
            console.printf("FAILED: %s%n", FailureText.firstLine(String.valueOf(e.getMessage())));
        }
        console.flush();
    }

    /** A fresh server for the open loop; its processes (command lines, engine facts) go to metadata.json. */
    private ServerUnderTest startServer(BenchmarkCase c, int backends, Traffic traffic, int connections)
            throws IOException {
        java.nio.file.Path processLog = folder.logs().resolve(String.format("%s-%s-%s-openloop.processes.jsonl",
                c.workload().id(), c.method(), c.strategy()));
        java.nio.file.Files.deleteIfExists(processLog);
        System.setProperty(ProcessLog.FILE, processLog.toString());
        try {
            return ServerUnderTest.start(c.strategy(), c.workload(), backends, operations(c), traffic, connections);
        } finally {
            System.clearProperty(ProcessLog.FILE);
            Map<String, String> params = new LinkedHashMap<>(c.allParams());
            params.put("openLoop", "true");
            RunDriver.recordProcesses(metadata, c.benchmark().replace("." + c.method(), ".openLoop"), params,
                    processLog);
        }
    }

    private void measure(BenchmarkCase c, ServerUnderTest server, Traffic traffic, int connections, int threads,
                         Map<String, String> params, Rung rung, double ownPeak, RateLadder ladder, long readCost)
            throws IOException, LoadException, InterruptedException {
        int parts = open.subWindows();
        long[] at = new long[parts + 1];
        ServerStats[] stats = new ServerStats[parts + 1];
        ServerStats[] backendStats = new ServerStats[parts + 1];
        OtherProcesses others = server.measurable()
                ? OtherProcesses.start(placement, server.serverPids(), server.loadPids()) : null;
        OpenLoop.Result result = OpenLoop.run(server.target(), traffic, connections, threads, rung.rate(),
                Duration.ZERO, open.duration(), REPLY_TIMEOUT, parts, i -> {
                    at[i] = System.nanoTime();
                    stats[i] = server.stats();
                    backendStats[i] = server.backendStats();
                });
        OtherProcesses.Share othersShare = others == null ? OtherProcesses.Share.UNKNOWN : others.end();
        Sustain.Judgement judgement = result.sustain();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("ladder", rung.common() ? "common" : "ownPeak");
        if (rung.common()) {
            extra.put("fractionOfSlowestPeak", rung.fraction());
            extra.put("slowestStrategy", ladder.slowestStrategy());
            extra.put("slowestPeakPerSecond", ladder.slowestPeak());
            if (pinned != null && pinned.ladder(c.workload().id(), params) == ladder) {
                extra.put("ratesFrom", pinned.source().toString());
            }
        }
        extra.put("ownPeakPerSecond", ownPeak);
        extra.put("sentRatePerSecond", result.sentRate());
        extra.put("completedRatePerSecond", result.completedRate());
        extra.put("achievedRatePerSecond", result.completedRate());
        extra.put("overrunMillis", Math.max(0, result.overrunNanos()) / 1e6);
        extra.put("overran", result.overrunNanos() > Sustain.grace(open.duration().toNanos()));
        extra.put("sustained", judgement.sustained());
        extra.put("fellBehind", judgement.reasons());
        extra.put("sendLag", lagSummary(result.sendLags()));
        extra.put("requests", result.requests());
        extra.put("loadGeneratorCpuPercent", result.loadGeneratorCpuPercent());
        CpuAtRate cpu = cpuAtRate(server, at, stats, readCost);
        if (cpu != null) {
            extra.put("serverCpuNanosPerOp", cpu.nanosPerOp());
            extra.put("serverCpuNanosPerOpError", cpu.error());
            extra.put("serverCpuNanosPerOpWindows", cpu.windowNanosPerOp());
            extra.put("serverCpuConfidencePercent", CpuAtRate.CONFIDENCE_PERCENT);
            extra.put("serverCpuPercent", cpu.cpuPercent());
            extra.put("serverOperations", cpu.operations());
            extra.put("statsReadCpuNanos", readCost);
        }
        if (stats[0] != null && stats[parts] != null && stats[0].compileMillis() >= 0) {
            // JIT compile time in the window: its CPU is in the window's server CPU
            extra.put("serverJitMillis", stats[parts].compileMillis() - stats[0].compileMillis());
        }
        if (backendStats[0] != null && backendStats[parts] != null && at[parts] > at[0]) {
            extra.put("backendCpuPercent",
                    100.0 * (backendStats[parts].cpuNanos() - backendStats[0].cpuNanos()) / (at[parts] - at[0]));
        }
        extra.put("otherCpuPercentServerCpus", othersShare.serverCpusPercent());
        extra.put("otherCpuPercentLoadCpus", othersShare.loadCpusPercent());
        extra.put("connections", connections);
        extra.put("warmupMillis", open.warmup().toMillis());
        extra.put("durationMillis", open.duration().toMillis());
        extra.put("subWindows", parts);
        folder.addLatency(c.workload().id(), c.strategy(), params, rung.rate(), rung.common() ? null : rung.fraction(),
                result.histogram(), result.sendLags(), extra);
        Histogram h = result.histogram();
        String cost = cpu == null ? "" : String.format("; server %s/req", micros(Math.round(cpu.nanosPerOp())));
        if (judgement.sustained()) {
            console.printf("p50 %s, p99 %s, p99.9 %s, max %s (completed %,.0f/s, send lag p50 %s%s)%n",
                    micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                    micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()), result.completedRate(),
                    micros(result.sendLags().getValueAtPercentile(50)), cost);
        } else {
            console.printf("could not sustain it: %s%s%n", String.join(", ", judgement.reasons()), cost);
        }
        String busy = Scores.busyMachine(othersShare.serverCpusPercent(), othersShare.loadCpusPercent());
        if (busy != null) {
            console.printf("          BUSY MACHINE: %s%n", busy);
        }
        console.flush();
    }

    /** Server CPU per operation from the readings at the sub-window boundaries. */
    private static CpuAtRate cpuAtRate(ServerUnderTest server, long[] at, ServerStats[] stats, long readCost) {
        if (stats[0] == null) {
            return null; // an external target: no stats
        }
        List<CpuAtRate.Sample> samples = new ArrayList<>();
        for (int i = 0; i < stats.length; i++) {
            if (stats[i] == null) {
                return null;
            }
            samples.add(new CpuAtRate.Sample(at[i], stats[i].cpuNanos(), server.operationsBetween(stats[0], stats[i])));
        }
        return CpuAtRate.of(samples, readCost);
    }

    /**
     * The server's CPU time for answering one stats request, measured on the idle server as the
     * median CPU between consecutive readings taken back to back; 0 for an external target.
     */
    static long statsReadCost(ServerUnderTest server) {
        ServerStats previous = server.stats();
        if (previous == null) {
            return 0;
        }
        long[] deltas = new long[STATS_COST_READINGS];
        for (int i = 0; i < deltas.length; i++) {
            ServerStats next = server.stats();
            deltas[i] = Math.max(0, next.cpuNanos() - previous.cpuNanos());
            previous = next;
        }
        java.util.Arrays.sort(deltas);
        return deltas[deltas.length / 2];
    }

    private static final int STATS_COST_READINGS = 7;

    /** The send lag's percentiles in µs, and how many requests they describe. */
    static Map<String, Object> lagSummary(Histogram lags) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", lags.getTotalCount());
        m.put("p50Micros", lags.getValueAtPercentile(50) / 1000.0);
        m.put("p90Micros", lags.getValueAtPercentile(90) / 1000.0);
        m.put("p99Micros", lags.getValueAtPercentile(99) / 1000.0);
        m.put("maxMicros", lags.getMaxValue() / 1000.0);
        return m;
    }

    /** What one operation is in the server's stats: the same as the case's closed-loop benchmark. */
    static ToLongFunction<ServerStats> operations(BenchmarkCase c) {
        return switch (c.workload()) {
            case ECHO -> {
                long size = Long.parseLong(c.params().get("size"));
                yield delta -> delta.bytesWritten() / size;
            }
            default -> ServerStats::requests;
        };
    }

    private static String micros(long nanos) {
        double us = nanos / 1000.0;
        return us >= 10_000 ? String.format("%,.1f ms", us / 1000) : us >= 10 ? String.format("%,.0f µs", us)
                : String.format("%,.1f µs", us);
    }
}
