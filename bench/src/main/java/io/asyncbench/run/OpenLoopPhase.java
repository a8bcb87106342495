package io.asyncbench.run;

import io.asyncbench.api.Workload;
import io.asyncbench.bench.ServerUnderTest;
import io.asyncbench.harness.OtherProcesses;
import io.asyncbench.harness.Placement;
import io.asyncbench.harness.ProcessLog;
import io.asyncbench.harness.ServerStats;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.OpenLoop;
import io.asyncbench.load.Sustain;
import io.asyncbench.load.Traffic;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.HdrHistogram.Histogram;

/**
 * The open-loop runs of one workload, after every throughput case of it ran (so that every
 * strategy's peak is known): for each benchmark setting, the common ladder of absolute rates
 * ({@link RateLadder}: the same rates for every strategy, the headline), then each strategy's own-peak
 * fractions (the second view).
 *
 * <p>The strategies of a setting are measured side by side, not one after the other: every one's
 * server is started and settled first, then they take turns, in rounds ({@link Profile.OpenLoopSettings}).
 * On a shared host the machine's speed drifts by up to 1.7x over tens of seconds; measured one after
 * the other, each strategy's CPU per request carried whatever phase it met, and two runs of the same
 * code agreed on only 14 % of the strategies' CPU ratios within 5 %. Taking turns gives every
 * strategy the same mix of phases.
 *
 * <p>Each slice runs unrecorded for the warm-up, then, on the same connections and schedule, for
 * its measured part, while the server's stats are read at the boundaries of its sub-windows ({@link CpuAtRate}:
 * server CPU per request at that rate, with its spread). Each rate records whether it kept up
 * ({@link Sustain}, over its slices: {@link RateSlices}); one that fell behind is written like any
 * other, marked, so the report can say "could not sustain R/s" rather than show a latency at R.
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

    /**
     * One rate to run: common (a fraction of the slowest peak) or a fraction of the strategy's own.
     * Strategies take turns at the same {@link #turn}: the same fraction of the same ladder.
     */
    private record Rung(boolean common, double rate, double fraction) {

        /** Common rungs first, then the heaviest fraction first (a strategy's rates follow its fractions). */
        static final Comparator<Rung> HEAVIEST_FIRST = Comparator.comparing(Rung::common).reversed()
                .thenComparing(Comparator.comparingDouble(Rung::fraction).reversed());

        Turn turn() {
            return new Turn(common, fraction);
        }
    }

    /** What the strategies of a setting take turns at: one step of the common ladder, or one own-peak fraction. */
    private record Turn(boolean common, double fraction) {
    }

    /** One strategy's server for the setting, its rates and what its slices measured so far. */
    private static final class Contender {
        final Seed seed;
        final BenchmarkCase c;
        final Traffic traffic;
        final int connections;
        final int threads;
        final List<Rung> rungs = new ArrayList<>();
        final Map<Rung, RateSlices> measured = new LinkedHashMap<>();
        ServerUnderTest server;
        long readCost;

        Contender(Seed seed, RateLadder ladder, int loadThreads) {
            this.seed = seed;
            this.c = seed.c();
            this.traffic = RunDriver.trafficOf(c);
            this.connections = c.connections();
            this.threads = Math.max(1, Math.min(loadThreads, connections));
            if (ladder != null) {
                for (int i = 0; i < ladder.rates().size(); i++) {
                    rungs.add(new Rung(true, ladder.rates().get(i), ladder.fractions().get(i)));
                }
            }
            for (double f : seed.ownPeakFractions()) {
                rungs.add(new Rung(false, Math.max(1, seed.peak() * f), f));
            }
            // Heaviest rate first: the rounds' first slices then carry the most requests to share
            // what JIT compiling is left after settling.
            rungs.sort(Rung.HEAVIEST_FIRST);
        }

        Rung rung(Turn turn) {
            return rungs.stream().filter(r -> r.turn().equals(turn)).findFirst().orElse(null);
        }
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
            List<Contender> contenders = new ArrayList<>();
            for (Seed s : setting) {
                if (s.peak() > 0 && Double.isFinite(s.peak())) {
                    contenders.add(new Contender(s, ladder, placement.loadThreads()));
                }
            }
            runSetting(contenders, ladder);
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

    /**
     * Starts and settles every contender's server, runs the rounds, writes each rate's result.
     * A contender that fails is recorded and drops out; the others go on.
     */
    private void runSetting(List<Contender> contenders, RateLadder ladder) throws InterruptedException {
        List<Contender> live = new ArrayList<>();
        try {
            for (Contender k : contenders) {
                console.printf("          %s: starting and settling its server... ", k.c.strategy());
                console.flush();
                try {
                    k.server = startServer(k.c, k.traffic, k.connections);
                    k.readCost = statsReadCost(k.server);
                    settle(k);
                    live.add(k);
                    console.printf("ready%n");
                } catch (LoadException | IOException | RuntimeException e) {
                    fail(k, e);
                }
            }
            List<Turn> turns = turns(live);
            for (int round = 0; round < open.rounds(); round++) {
                if (open.rounds() > 1) {
                    console.printf("          round %d of %d%n", round + 1, open.rounds());
                    console.flush();
                }
                for (Turn turn : turns) {
                    // each round starts the turn with the next strategy: none always follows the same one
                    for (int i = 0; i < live.size(); i++) {
                        Contender k = live.get((i + round) % live.size());
                        Rung rung = k.rung(turn);
                        if (rung == null || k.server == null) {
                            continue;
                        }
                        try {
                            slice(k, rung, serverPids(live));
                        } catch (LoadException | IOException | RuntimeException e) {
                            fail(k, e);
                        }
                    }
                }
            }
            for (Contender k : live) {
                if (k.server == null) {
                    continue;
                }
                console.printf("        %s:%n", k.c.strategy());
                try {
                    for (Rung rung : k.rungs) {
                        RateSlices slices = k.measured.get(rung);
                        if (slices != null) {
                            record(k, rung, slices, ladder);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    fail(k, e);
                }
            }
        } finally {
            for (Contender k : contenders) {
                closeServer(k);
            }
            console.flush();
        }
    }

    /** The processes of every contender still in the running: its server, and its backends (on the load CPUs). */
    private record ContenderPids(List<Long> server, List<Long> load) {
    }

    private static ContenderPids serverPids(List<Contender> live) {
        List<Long> server = new ArrayList<>();
        List<Long> load = new ArrayList<>();
        live.stream().filter(k -> k.server != null).forEach(k -> {
            server.addAll(k.server.serverPids());
            load.addAll(k.server.loadPids());
        });
        return new ContenderPids(server, load);
    }

    /** Every turn the contenders take, heaviest common rate first, then the own-peak fractions. */
    private static List<Turn> turns(List<Contender> live) {
        Map<Turn, Rung> turns = new LinkedHashMap<>();
        live.forEach(k -> k.rungs.forEach(r -> turns.putIfAbsent(r.turn(), r)));
        return turns.values().stream().sorted(Rung.HEAVIEST_FIRST).map(Rung::turn).toList();
    }

    /**
     * Drives a fresh server at its heaviest rate, not recorded: its JIT compiles the open loop's
     * paths now rather than in the first measured slice (measured: up to 972 ms of compiling in a
     * 1 s window).
     */
    private void settle(Contender k) throws IOException, LoadException, InterruptedException {
        if (k.rungs.isEmpty()) {
            return;
        }
        Duration settle = clientWarm ? open.settle() : open.settle().plus(FIRST_OPEN_LOOP_WARMUP);
        OpenLoop.run(k.server.target(), k.traffic, k.connections, k.threads, k.rungs.get(0).rate(), Duration.ZERO,
                settle, REPLY_TIMEOUT);
        clientWarm = true;
    }

    private void fail(Contender k, Exception e) {
        failed++;
        Map<String, String> failedParams = new LinkedHashMap<>(k.c.allParams());
        failedParams.put("openLoop", "true");
        metadata.failure(k.c.benchmark().replace("." + k.c.method(), ".openLoop"), failedParams,
                "open-loop latency failed: " + e.getMessage());
        console.printf("          %s FAILED: %s%n", k.c.strategy(), FailureText.firstLine(String.valueOf(e.getMessage())));
        console.flush();
        closeServer(k);
    }

    private static void closeServer(Contender k) {
        if (k.server != null) {
            try {
                k.server.close();
            } catch (RuntimeException ignored) {
                // closing is best effort: the run goes on with the others
            }
            k.server = null;
        }
    }

    /** A fresh server for the open loop; its processes (command lines, engine facts) go to metadata.json. */
    private ServerUnderTest startServer(BenchmarkCase c, Traffic traffic, int connections) throws IOException {
        int backends = c.workload() == Workload.GATEWAY ? Integer.parseInt(c.params().get("backends")) : 0;
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

    /**
     * One round's slice of one rate: the warm-up, then the measured part, on the same connections
     * and schedule. Opening the connections is no part of the measured time: a server accepting
     * 256 connections (a thread each, for some) while the first requests arrive put 10-20 ms into
     * the p99 of a 250 ms slice. A backlog left by the warm-up is the server's at that rate.
     */
    private void slice(Contender k, Rung rung, ContenderPids contenderPids) throws IOException, LoadException, InterruptedException {
        ServerUnderTest server = k.server;
        int parts = open.subWindowsPerSlice();
        long[] at = new long[parts + 1];
        ServerStats[] stats = new ServerStats[parts + 1];
        ServerStats[] backendStats = new ServerStats[parts + 1];
        // The other contenders' servers and backends, idle while this one runs, count as ours: "busy" is about
        // the machine, and the tail of the previous slice (its server closing connections,
        // finishing a compile) falls on every strategy alike.
        OtherProcesses others = server.onThisHost()
                ? OtherProcesses.start(placement, contenderPids.server(), contenderPids.load()) : null;
        long[] startedAt = new long[1];
        OpenLoop.Result result = OpenLoop.run(server.target(), k.traffic, k.connections, k.threads, rung.rate(),
                open.warmup(), open.slice(), REPLY_TIMEOUT, parts, (i, operations) -> {
                    at[i] = System.nanoTime();
                    if (i == 0) {
                        startedAt[0] = System.currentTimeMillis();
                    }
                    stats[i] = server.stats();
                    backendStats[i] = server.backendStats();
                });
        OtherProcesses.Share othersShare = others == null ? OtherProcesses.Share.UNKNOWN : others.end();
        List<CpuAtRate.Sample> samples = cpuSamples(server, at, stats);
        long jitMillis = stats[0] != null && stats[parts] != null && stats[0].compileMillis() >= 0
                ? stats[parts].compileMillis() - stats[0].compileMillis() : -1;
        long backendCpu = backendStats[0] != null && backendStats[parts] != null
                ? backendStats[parts].cpuNanos() - backendStats[0].cpuNanos() : -1;
        k.measured.computeIfAbsent(rung, r -> new RateSlices(r.rate()))
                .add(startedAt[0], result, samples, jitMillis, backendCpu, at[parts] - at[0], othersShare);
    }

    /** Writes one rate's result from its slices, and prints it. */
    private void record(Contender k, Rung rung, RateSlices slices, RateLadder ladder) throws IOException {
        BenchmarkCase c = k.c;
        Map<String, String> params = recordedParams(c);
        Sustain.Judgement judgement = slices.sustain();
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
        extra.put("ownPeakPerSecond", k.seed.peak());
        extra.put("sentRatePerSecond", slices.sentRate());
        extra.put("completedRatePerSecond", slices.completedRate());
        extra.put("achievedRatePerSecond", slices.completedRate());
        extra.put("overrunMillis", Math.max(0, slices.overrunNanos()) / 1e6);
        extra.put("overran", slices.overran());
        extra.put("sustained", judgement.sustained());
        extra.put("fellBehind", judgement.reasons());
        extra.put("sendLag", lagSummary(slices.sendLags()));
        extra.put("requests", slices.requests());
        extra.put("loadGeneratorCpuPercent", slices.loadGeneratorCpuPercent());
        CpuAtRate cpu = slices.cpu(k.readCost);
        if (cpu != null) {
            extra.put("serverCpuNanosPerOp", cpu.nanosPerOp());
            extra.put("serverCpuNanosPerOpError", cpu.error());
            extra.put("serverCpuNanosPerOpWindows", cpu.windowNanosPerOp());
            extra.put("serverCpuConfidencePercent", CpuAtRate.CONFIDENCE_PERCENT);
            extra.put("serverCpuPercent", cpu.cpuPercent());
            extra.put("serverOperations", cpu.operations());
            extra.put("statsReadCpuNanos", k.readCost);
        }
        if (slices.jitMillis() >= 0) {
            // JIT compile time in the measured slices: its CPU is in their server CPU
            extra.put("serverJitMillis", slices.jitMillis());
        }
        if (slices.backendCpuPercent() >= 0) {
            extra.put("backendCpuPercent", slices.backendCpuPercent());
        }
        OtherProcesses.Share othersShare = slices.others();
        extra.put("otherCpuPercentServerCpus", othersShare.serverCpusPercent());
        extra.put("otherCpuPercentLoadCpus", othersShare.loadCpusPercent());
        extra.put("connections", k.connections);
        extra.put("warmupMillis", open.warmup().toMillis());
        extra.put("durationMillis", open.duration().toMillis());
        extra.put("rounds", slices.count());
        extra.put("slicesStartedAtMillis", slices.startedAtMillis());
        extra.put("subWindows", open.subWindowsPerSlice() * slices.count());
        Histogram h = slices.histogram();
        folder.addLatency(c.workload().id(), c.strategy(), params, rung.rate(), rung.common() ? null : rung.fraction(),
                h, slices.sendLags(), extra);
        console.printf("          %s %3.0f %% of %s = %,.0f/s: ", rung.common() ? "common" : "own   ",
                rung.fraction() * 100, rung.common() ? "slowest peak" : "own peak   ", rung.rate());
        String cost = cpu == null ? "" : String.format("; server %s/req", micros(Math.round(cpu.nanosPerOp())));
        if (judgement.sustained()) {
            console.printf("p50 %s, p99 %s, p99.9 %s, max %s (completed %,.0f/s, send lag p50 %s%s)%n",
                    micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                    micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()), slices.completedRate(),
                    micros(slices.sendLags().getValueAtPercentile(50)), cost);
        } else {
            console.printf("could not sustain it: %s%s%n", String.join(", ", judgement.reasons()), cost);
        }
        String busy = Scores.busyMachine(othersShare.serverCpusPercent(), othersShare.loadCpusPercent());
        if (busy != null) {
            console.printf("          BUSY MACHINE: %s%n", busy);
        }
        console.flush();
    }

    /** The readings at one slice's sub-window boundaries; empty for an external target (no stats). */
    private static List<CpuAtRate.Sample> cpuSamples(ServerUnderTest server, long[] at, ServerStats[] stats) {
        List<CpuAtRate.Sample> samples = new ArrayList<>();
        for (int i = 0; i < stats.length; i++) {
            if (stats[i] == null) {
                return List.of();
            }
            samples.add(new CpuAtRate.Sample(at[i], stats[i].cpuNanos(), server.operationsBetween(stats[0], stats[i])));
        }
        return samples;
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
