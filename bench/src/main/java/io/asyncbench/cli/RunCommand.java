package io.asyncbench.cli;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.external.ExternalServer;
import io.asyncbench.external.ExternalServerStrategy;
import io.asyncbench.external.References;
import io.asyncbench.harness.Placement;
import io.asyncbench.harness.StatsClient;
import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.Converters;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.HostPort;
import io.asyncbench.harness.cli.StrategyCatalog;
import io.asyncbench.reports.GeneratedReport;
import io.asyncbench.reports.ReportGenerator;
import io.asyncbench.run.BenchmarkCase;
import io.asyncbench.run.PinnedRates;
import io.asyncbench.run.Plan;
import io.asyncbench.run.Profile;
import io.asyncbench.run.ResultsFolder;
import io.asyncbench.run.RunDriver;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code asyncbench run}: the benchmarks of a profile on every strategy, each server in its own
 * JVM, into one results folder, then the report. See {@link Profile} for what each profile runs.
 */
@Command(name = "run", sortOptions = false,
        description = {"Runs the benchmarks: every workload on every strategy (each server in its own "
                + "JVM, driven by one load generator that checks every reply), writes a results folder "
                + "(jmh-result.json, metadata.json, latency/*.hgrm) and then its report.",
                "Profiles: smoke (everything once, tiny iterations, a few minutes), quick (the "
                        + "default: headline parameters with error bars, about 15 minutes on 2 cores), "
                        + "full (the whole matrix, hours; --dry-run prints the estimate)."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--profile"}, paramLabel = "PROFILE", defaultValue = "quick",
            converter = ProfileConverter.class,
            description = "smoke, quick or full (default: ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = {"-s", "--strategies"}, paramLabel = "ID", split = ",",
            converter = StrategyOrReference.class,
            description = "Only these strategies (default: all of ${COMPLETION-CANDIDATES}, and the "
                    + "reference servers asyncio, uvloop and c-epoll where they run here).",
            completionCandidates = Converters.StrategyIds.class)
    List<Strategy> strategies = new ArrayList<>();

    @Option(names = "--external", paramLabel = "NAME:WORKLOAD=COMMAND",
            description = "Also measure a server of your own, started from COMMAND with {port} where its "
                    + "port goes (optional: {host}, {idle-timeout-ms}); repeat per workload (echo, http) "
                    + "and per server, e.g. 'mine:http=./my-server --port {port}'.")
    List<String> externals = new ArrayList<>();

    @Option(names = "--no-references", description = "Leave out the reference servers (asyncio, uvloop, c-epoll).")
    boolean noReferences;

    @Option(names = {"-w", "--workloads"}, paramLabel = "ID", split = ",",
            converter = Converters.WorkloadConverter.class,
            description = "Only these workloads (default: echo, http, timers, gateway, proxy).")
    List<Workload> workloads = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "The results folder to create (default: results/<time>-<profile>).")
    Path out;

    @Option(names = "--target", paramLabel = "HOST:PORT",
            description = "Measure a server already running there (start it with 'asyncbench serve' on "
                    + "the other host) instead of starting one; name its strategy with --strategies.")
    String target;

    @Option(names = "--stats", paramLabel = "HOST:PORT",
            description = "With --target: the server's stats port ('serve --stats-port'), so that its CPU, "
                    + "allocation and memory per operation are measured as for a server started here.")
    String stats;

    @Mixin
    StatsTokenOptions token;

    @Option(names = "--server-threads", paramLabel = "N",
            description = "The server's IO thread budget, the same for every strategy (default: the "
                    + "number of CPUs the server is pinned to, or all cores).")
    Integer serverThreads;

    @Option(names = "--load-threads", paramLabel = "N",
            description = "Load generator threads (default: the number of CPUs it is pinned to).")
    Integer loadThreads;

    @Option(names = "--no-pin", description = "Do not pin the server and the load generator to separate CPUs.")
    boolean noPin;

    @Option(names = "--backend-strategy", paramLabel = "ID",
            description = "Which strategy serves the gateway's and proxy's backends (default: netty-epoll "
                    + "where available, else the fastest available).")
    String backendStrategy;

    @Option(names = "--rates-from", paramLabel = "DIR",
            description = "Drive the open loop's common ladder at the rates of an earlier run (its results "
                    + "folder), not at fractions of this run's slowest peak: two runs then compare at equal "
                    + "load (report --baseline).")
    private Path ratesFrom;

    @Option(names = "--explain", negatable = true,
            description = "Record where each server's time goes in one measured iteration of every http and echo "
                    + "throughput benchmark: a JFR recording and the kernel's counts of system calls and context "
                    + "switches, in the results folder's explain/; the report's \"Where the time goes\" reads them "
                    + "(off by default: JFR's first start costs each server JVM about 2 s).")
    Boolean explain;

    @Option(names = "--dry-run", description = "Print the plan and its estimated duration, run nothing.")
    boolean dryRun;

    @Option(names = "--no-report", description = "Do not write the report at the end.")
    boolean noReport;

    @Option(names = {"-v", "--verbose"}, description = "Show JMH's own output instead of logging it to files.")
    boolean verbose;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter console = spec.commandLine().getOut();
        List<Strategy> chosen = new ArrayList<>(strategies.isEmpty() ? StrategyCatalog.strategies() : distinct(strategies));
        if (strategies.isEmpty() && target == null && !noReferences) {
            References.all().forEach(reference -> chosen.add(new ExternalServerStrategy(reference)));
        }
        chosen.addAll(externalServers(chosen));
        List<Workload> chosenWorkloads = workloads.isEmpty() ? Arrays.asList(Workload.values())
                : workloads.stream().distinct().toList();
        if (target != null) {
            if (Boolean.TRUE.equals(explain)) {
                throw wrong("--explain records the servers this run starts; with --target the server runs elsewhere");
            }
            try {
                HostPort.parse(target);
            } catch (IllegalArgumentException bad) {
                throw wrong("--target: " + bad.getMessage());
            }
            if (chosen.size() != 1) {
                throw wrong("with --target, name the one strategy that server runs: --strategies ID");
            }
        }
        if ((stats != null || token.given()) && target == null) {
            throw wrong("--stats, --token and --token-file measure a --target server: give --target too");
        }
        if (stats != null && !token.exactlyOne()) {
            throw wrong("--stats needs the token 'serve' printed: --token TOKEN or --token-file FILE");
        }
        List<Integer> cpus = Placement.allowedCpus();
        Placement auto = Placement.auto(!noPin, cpus, Placement.tasksetAvailable());
        Placement placement = new Placement(auto.serverCpus(), auto.loadCpus(),
                serverThreads != null ? positive("--server-threads", serverThreads) : auto.serverThreads(),
                loadThreads != null ? positive("--load-threads", loadThreads) : auto.loadThreads());
        Plan plan = Plan.of(profile, chosen, chosenWorkloads, placement.serverThreads(), target != null)
                .explaining(explain != null ? explain : profile.explainsByDefault());
        if (dryRun) {
            printPlan(plan, console);
            return ExitStatus.OK.code;
        }
        if (plan.cases().isEmpty()) {
            printPlan(plan, console);
            throw new CliException(ExitStatus.UNAVAILABLE, "nothing to measure: every chosen strategy "
                    + "and workload was skipped (reasons above)");
        }
        PinnedRates pinned = null;
        if (ratesFrom != null) {
            try {
                pinned = PinnedRates.read(ratesFrom);
            } catch (IllegalArgumentException | IOException bad) {
                throw wrong("--rates-from: " + bad.getMessage());
            }
        }
        RunDriver.RemoteStats remote = stats == null ? null : remoteStats();
        Instant started = Instant.now();
        Path folder = out != null ? out : Path.of("results", ResultsFolder.defaultName(started, profile));
        RunDriver driver = new RunDriver(new RunDriver.Settings(plan, folder, placement, cpus.size(), target,
                backendStrategy, verbose, pinned, remote), console);
        try {
            driver.run();
        } catch (IOException cannotRun) {
            // another run holds JMH's lock, or the results folder cannot be written
            throw new CliException(ExitStatus.FAILED, cannotRun.getMessage());
        } finally {
            if (remote != null && token.file == null) {
                deleteQuietly(remote.tokenFile());
            }
        }
        if (!noReport && Files.exists(folder.resolve(ResultsFolder.JMH_RESULT))) {
            GeneratedReport report = ReportCommand.write(folder, Optional.empty(),
                    folder.resolve(ReportGenerator.DEFAULT_OUT));
            console.println("report: " + report.index());
        }
        console.println("results: " + folder);
        console.flush();
        if (driver.failed() > 0) {
            throw new CliException(ExitStatus.FAILED, driver.failed()
                    + " benchmark(s) failed; metadata.json lists them with the reason, logs/ has JMH's output");
        }
        return ExitStatus.OK.code;
    }

    /** The --external servers, checked: each a NAME:WORKLOAD=COMMAND with {port}, no name taken twice. */
    private List<Strategy> externalServers(List<Strategy> chosen) {
        if (externals.isEmpty()) {
            return List.of();
        }
        if (target != null) {
            throw wrong("--external starts a server here; --target measures one running elsewhere: choose one");
        }
        List<ExternalServer> parsed = new ArrayList<>();
        try {
            for (String text : externals) {
                parsed.add(ExternalServer.parse(text));
            }
            parsed = ExternalServer.merge(parsed);
        } catch (IllegalArgumentException bad) {
            throw wrong("--external: " + bad.getMessage());
        }
        List<Strategy> servers = new ArrayList<>();
        for (ExternalServer server : parsed) {
            boolean taken = chosen.stream().anyMatch(s -> s.id().equals(server.name()))
                    || Strategies.ids(StrategyCatalog.strategies()).contains(server.name())
                    || References.isReference(server.name());
            if (taken) {
                throw wrong("--external: the name '" + server.name() + "' is taken by a strategy or a "
                        + "reference; choose another");
            }
            servers.add(new ExternalServerStrategy(server));
        }
        return servers;
    }

    /** A strategy id, or the name of a reference server (asyncio, uvloop, c-epoll). */
    static final class StrategyOrReference implements ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String id) {
            for (ExternalServer reference : References.all()) {
                if (reference.name().equalsIgnoreCase(id.trim())) {
                    return new ExternalServerStrategy(reference);
                }
            }
            return new Converters.StrategyConverter().convert(id);
        }
    }

    private void printPlan(Plan plan, PrintWriter console) {
        console.printf("profile %s: %d benchmarks, about %s%s%n", plan.profile().id(), plan.cases().size(),
                formatDuration(plan.estimate()), plan.explain() ? ", explaining the http and echo throughput" : "");
        for (BenchmarkCase c : plan.cases()) {
            console.printf("  %s%s%n", c.label(), c.openLoop() ? "  (+ open-loop latency)" : "");
        }
        for (Plan.Skip skip : plan.skips()) {
            console.printf("  skip %s %s: %s%n", skip.benchmark().substring(skip.benchmark().lastIndexOf('.') + 1),
                    skip.params(), skip.message());
        }
        console.flush();
    }

    private static String formatDuration(java.time.Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d h %02d min", s / 3600, s / 60 % 60)
                : String.format("%d min %02d s", s / 60, s % 60);
    }

    private int positive(String option, int value) {
        if (value < 1) {
            throw wrong(option + " must be at least 1, not " + value);
        }
        return value;
    }

    private static List<Strategy> distinct(List<Strategy> named) {
        List<Strategy> unique = new ArrayList<>();
        for (Strategy s : named) {
            if (unique.stream().noneMatch(u -> u.id().equals(s.id()))) {
                unique.add(s);
            }
        }
        return unique;
    }

    private ParameterException wrong(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** smoke, quick, full. */
    static final class ProfileConverter implements ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            try {
                return Profile.byId(value);
            } catch (IllegalArgumentException unknown) {
                throw new TypeConversionException(unknown.getMessage());
            }
        }
    }

    /**
     * Asks the stats port once, before anything runs, so that a wrong address or token is an error
     * now and not in every fork; the forks read the token from a file only this user can read.
     */
    private RunDriver.RemoteStats remoteStats() {
        InetSocketAddress address;
        try {
            address = HostPort.parse(stats);
        } catch (IllegalArgumentException bad) {
            throw wrong("--stats: " + bad.getMessage());
        }
        try {
            String secret = token.read();
            String firstLine;
            try (StatsClient client = StatsClient.connect(address, secret, Duration.ofSeconds(10))) {
                firstLine = client.line(false);
            }
            Path file = token.file;
            if (file == null) {
                file = Files.createTempFile("asyncbench-stats-token-", ".txt",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, secret);
            }
            return new RunDriver.RemoteStats(stats, file, firstLine);
        } catch (IOException | UnsupportedOperationException failed) {
            throw new CliException(ExitStatus.FAILED, "--stats " + stats + ": " + failed.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file of ours; the system's cleaner takes it
        }
    }
}
