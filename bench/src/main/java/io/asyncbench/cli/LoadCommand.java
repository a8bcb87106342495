package io.asyncbench.cli;

import io.asyncbench.api.Workload;
import io.asyncbench.harness.HostFacts;
import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.Converters;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.HostPort;
import io.asyncbench.load.ClosedLoop;
import io.asyncbench.load.HttpEndpoint;
import io.asyncbench.load.LoadException;
import io.asyncbench.load.OpenLoop;
import io.asyncbench.load.Traffic;
import io.asyncbench.run.LoadHostResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.HdrHistogram.Histogram;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code asyncbench load}: the load generator alone, against a server started elsewhere (another
 * host, or {@code asyncbench serve}). The same client the benchmarks use, every reply checked.
 * Closed loop by default; with {@code --rate} an open loop that records latency from each
 * request's intended send time and can save the .hgrm file.
 */
@Command(name = "load", sortOptions = false,
        description = {"Drives a running server with the benchmarks' load generator (every reply "
                + "checked byte for byte) and prints throughput, latency percentiles and the "
                + "generator's own CPU use.",
                "Closed loop by default; --rate R sends R requests/s at fixed intended times "
                        + "(open loop, latency from the intended send time, as wrk2)."})
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT",
            converter = Converters.HostPortConverter.class, description = "The server to load.")
    InetSocketAddress target;

    @Option(names = {"-w", "--workload"}, paramLabel = "ID", defaultValue = "echo",
            converter = Converters.WorkloadConverter.class,
            description = "echo, http, gateway or proxy (default: ${DEFAULT-VALUE}).")
    Workload workload;

    @Option(names = {"-c", "--connections"}, paramLabel = "C", defaultValue = "64",
            description = "Connections (proxy: streams) (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS", defaultValue = "10",
            description = "Measured time (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "2",
            description = "Unmeasured time first (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "1",
            description = "Client threads, each with its own selector (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1024",
            description = "echo: message size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--endpoint", paramLabel = "NAME", defaultValue = "plaintext",
            description = "http: plaintext or json (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--pipeline", paramLabel = "N", defaultValue = "1",
            description = "http: requests written at once per connection (default: ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = "--backends", paramLabel = "K", defaultValue = "4",
            description = "gateway: k in /fanout?k=K&ms=M (default: ${DEFAULT-VALUE}).")
    int backends;

    @Option(names = "--delay-ms", paramLabel = "M", defaultValue = "1",
            description = "gateway: ms in /fanout?k=K&ms=M (default: ${DEFAULT-VALUE}).")
    int delayMs;

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = "Open loop at this many requests per second.")
    Double rate;

    @Option(names = "--hgrm", paramLabel = "FILE",
            description = "Write the latency histogram (microseconds) to FILE.")
    Path hgrm;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write what this load measured into DIR: load.json (throughput, errors, this "
                    + "generator's CPU, when) and latency.hlog (HdrHistogram's interval log), also "
                    + "when a reply is wrong; the loads of several hosts can then be combined.")
    Path outDir;

    @Option(names = "--stats", paramLabel = "HOST:PORT", converter = Converters.HostPortConverter.class,
            description = "The server's stats port ('serve --stats-port'): with --out, its stats are read at "
                    + "every second of the measured window, so that 'merge' can give server CPU and "
                    + "allocation per operation.")
    InetSocketAddress stats;

    @Mixin
    StatsTokenOptions token;

    @Option(names = "--start-at", paramLabel = "INSTANT", converter = InstantConverter.class,
            description = "Send the first request at this time (ISO-8601, e.g. 2026-12-07T03:00:00Z), so that "
                    + "loads started on several hosts by ssh or pdsh measure the same window. The connections "
                    + "are made at once and wait, so keep it within the server's idle timeout (30 s).")
    Instant startAt;

    /** Connects timed for the round trip to the server (with --out). */
    static final int ROUND_TRIP_SAMPLES = 21;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Traffic traffic = traffic();
        if (connections < 1 || threads < 1 || threads > connections) {
            throw wrong("need --connections >= 1 and 1 <= --threads <= --connections");
        }
        if (!(seconds > 0) || warmupSeconds < 0) {
            throw wrong("--duration must be positive and --warmup not negative");
        }
        Duration duration = Duration.ofNanos((long) (seconds * 1e9));
        Duration warmup = Duration.ofNanos((long) (warmupSeconds * 1e9));
        PrintWriter out = spec.commandLine().getOut();
        if (stats != null && outDir == null) {
            throw wrong("--stats records the server's stats into --out DIR: give --out too");
        }
        if (stats == null ? token.given() : !token.exactlyOne()) {
            throw wrong("--stats needs the token 'serve' printed, as one of --token TOKEN or --token-file FILE");
        }
        try (WindowRecorder recorder = outDir == null ? null : WindowRecorder.open(stats, stats == null ? null : token.read(), target)) {
            return measure(traffic, duration, warmup, out, recorder, startNanos(out));
        }
    }

    private Integer measure(Traffic traffic, Duration duration, Duration warmup, PrintWriter out,
                            WindowRecorder recorder, long startNanos) throws IOException, InterruptedException {
        int subWindows = Math.max(1, (int) Math.round(seconds));
        out.printf("%s: %s, %d connection(s), %d thread(s), %s%n", HostPort.format(target), traffic.describe(),
                connections, threads, rate == null ? "closed loop" : String.format("open loop at %,.0f/s", rate));
        out.flush();
        Histogram histogram;
        Instant begun = Instant.now();
        try {
            if (rate == null) {
                ClosedLoop.Result r = ClosedLoop.run(target, traffic, connections, threads, warmup, duration,
                        Duration.ofSeconds(15), subWindows, recorder, startNanos);
                histogram = r.histogram();
                record(traffic, r.measured(), r.operations(), null, r.loadGeneratorCpuPercent(), histogram, recorder);
                out.printf("%,.0f ops/s%s, load generator CPU %.0f %% (of one core)%n", r.ratePerSecond(),
                        mibPerSecond(traffic, r.ratePerSecond()), r.loadGeneratorCpuPercent());
            } else {
                if (workload == Workload.PROXY) {
                    throw wrong("--rate: the proxy stream has no requests to pace");
                }
                OpenLoop.Result r = OpenLoop.run(target, traffic, connections, threads, rate, warmup, duration,
                        Duration.ofSeconds(15), subWindows, recorder, startNanos);
                histogram = r.histogram();
                record(traffic, r.measured(), r.requests(), null, r.loadGeneratorCpuPercent(), histogram, recorder);
                out.printf("%,.0f requests/s intended, %,.0f/s sent on schedule, %,.0f/s completed; send lag p50 %s,"
                        + " p99 %s; load generator CPU %.0f %% (of one core)%n", r.intendedRate(), r.sentRate(),
                        r.completedRate(), micros(r.sendLags().getValueAtPercentile(50)),
                        micros(r.sendLags().getValueAtPercentile(99)), r.loadGeneratorCpuPercent());
                var sustain = r.sustain();
                if (!sustain.sustained()) {
                    out.printf("could not sustain %,.0f requests/s: %s%n", r.intendedRate(),
                            String.join(", ", sustain.reasons()));
                }
            }
        } catch (LoadException wrongReply) {
            record(traffic, Duration.between(begun, Instant.now()), 0, wrongReply.getMessage(), Double.NaN,
                    new Histogram(3), recorder);
            throw new CliException(ExitStatus.FAILED, "wrong or missing reply: " + wrongReply.getMessage());
        }
        if (histogram.getTotalCount() > 0) {
            out.printf("latency%s: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s%n",
                    rate == null ? " (per batch, from its send)" : " (from the intended send time)",
                    micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(90)),
                    micros(histogram.getValueAtPercentile(99)), micros(histogram.getValueAtPercentile(99.9)),
                    micros(histogram.getMaxValue()));
        }
        if (hgrm != null) {
            try (PrintStream file = new PrintStream(Files.newOutputStream(hgrm), false, StandardCharsets.UTF_8)) {
                histogram.outputPercentileDistribution(file, 1000.0);
            }
            out.println("histogram: " + hgrm);
        }
        out.flush();
        return ExitStatus.OK.code;
    }

    /** With --out: writes what was measured (or the error that ended it), the window ending now. */
    private void record(Traffic traffic, Duration measured, long operations, String error, double cpuPercent,
                        Histogram latency, WindowRecorder recorder) throws IOException {
        if (recorder == null) {
            return;
        }
        Instant ended = Instant.now();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("connections", Integer.toString(connections));
        settings.put("threads", Integer.toString(threads));
        settings.put("loop", rate == null ? "closed" : "open");
        if (rate != null) {
            settings.put("rate", Double.toString(rate));
        }
        // the benchmarks' own parameter names, so that merge gives the same rows as run
        switch (workload) {
            case ECHO -> settings.put("size", Integer.toString(size));
            case HTTP -> {
                settings.put("endpoint", endpoint);
                settings.put("pipeline", Integer.toString(pipeline));
            }
            case GATEWAY -> {
                settings.put("backends", Integer.toString(backends));
                settings.put("delayMs", Integer.toString(delayMs));
            }
            default -> { }
        }
        List<LoadHostResult.Boundary> boundaries = error == null ? recorder.boundaries() : List.of();
        Instant started = ended.minus(measured);
        if (boundaries.size() > 1) { // the window as the load's own clock marked it
            started = boundaries.get(0).at();
            ended = boundaries.get(boundaries.size() - 1).at();
        }
        new LoadHostResult(HostFacts.hostName(), HostPort.format(target), workload.id(), traffic.describe(), settings,
                started, ended, operations, error == null ? 0 : 1, error, cpuPercent, latency,
                recorder.roundTrip(), boundaries).write(outDir);
        spec.commandLine().getOut().println("results: " + outDir);
        if (recorder.statsFailure() != null) {
            throw new CliException(ExitStatus.FAILED, "the stats port stopped answering during the window ("
                    + recorder.statsFailure().getMessage() + "): " + outDir + " has no server figures");
        }
    }

    /**
     * With --start-at: when the load's first request goes out, on {@link System#nanoTime()}'s clock
     * (the connections are made before it, so that the time each host takes to connect shifts no
     * window); a time already past is an error, not a silent skew. 0 without it.
     */
    private long startNanos(PrintWriter out) {
        if (startAt == null) {
            return 0;
        }
        long nowNanos = System.nanoTime();
        Duration wait = Duration.between(Instant.now(), startAt);
        if (wait.isNegative()) {
            throw wrong("--start-at " + startAt + " is " + wait.negated().toMillis() + " ms in the past");
        }
        out.printf("starting at %s (in %,.1f s)%n", startAt, wait.toMillis() / 1000.0);
        out.flush();
        return nowNanos + wait.toNanos();
    }

    private Traffic traffic() {
        try {
            return switch (workload) {
                case ECHO -> new Traffic.Echo(size);
                case HTTP -> new Traffic.Http(HttpEndpoint.byId(endpoint), pipeline);
                case GATEWAY -> new Traffic.Gateway(backends, delayMs);
                case PROXY -> new Traffic.Proxy(Traffic.Proxy.DEFAULT_WINDOW);
                case TIMERS -> throw wrong("timers run in process; there is no server to load");
            };
        } catch (IllegalArgumentException bad) {
            throw wrong(bad.getMessage());
        }
    }

    private static String mibPerSecond(Traffic traffic, double opsPerSecond) {
        long bytes = traffic.bytesPerOperation();
        return bytes > 0 ? String.format(" (%,.1f MiB/s)", opsPerSecond * bytes / (1 << 20)) : "";
    }

    private static String micros(long nanos) {
        double us = nanos / 1000.0;
        return us >= 10_000 ? String.format("%,.1f ms", us / 1000) : String.format("%,.0f µs", us);
    }

    /** Reads an ISO-8601 instant, such as {@code date -u +%FT%TZ} prints. */
    static final class InstantConverter implements picocli.CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (java.time.format.DateTimeParseException bad) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not an ISO-8601 instant such as 2026-12-07T03:00:00Z");
            }
        }
    }

    private ParameterException wrong(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
