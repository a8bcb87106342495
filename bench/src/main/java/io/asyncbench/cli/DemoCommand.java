package io.asyncbench.cli;

import io.asyncbench.api.Availability;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerCounters;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.Converters;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.StrategyCatalog;
import io.asyncbench.load.VerifyingEchoClient;

import static io.asyncbench.cli.TextTable.left;
import static io.asyncbench.cli.TextTable.right;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code asyncbench demo}: a smoke test of the whole path. Starts each available strategy's echo
 * server in this JVM in turn, drives it with {@link VerifyingEchoClient}, and prints round trips
 * per second; any wrong byte makes the exit code non-zero. Not the benchmark: one JVM, a closed
 * loop, one warm-up round trip per connection.
 */
@Command(name = "demo", sortOptions = false,
        description = {"Smoke-tests every strategy: starts its echo server in this JVM, drives it "
                + "with a client that checks every reply byte for byte, and prints round trips "
                + "per second. Not the benchmark: one JVM, a closed loop, one warm-up round "
                + "trip per connection."})
final class DemoCommand implements Callable<Integer> {

    /** Silence from a server for this long is an error. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "3",
            description = "How long to drive each strategy (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = {"-c", "--connections"}, paramLabel = "C", defaultValue = "16",
            description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1024",
            description = "Bytes per message (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = {"-s", "--strategy"}, paramLabel = "ID",
            converter = Converters.StrategyConverter.class,
            completionCandidates = Converters.StrategyIds.class,
            description = "Only this strategy; repeat for several (default: all of "
                    + "${COMPLETION-CANDIDATES}).")
    List<Strategy> only = new ArrayList<>();

    /** One table row and, when it failed, what went wrong. */
    private record Outcome(Object[] row, boolean ran, List<String> problems) {
        boolean failed() {
            return !problems.isEmpty();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Duration duration = validatedDuration();
        List<Strategy> strategies = only.isEmpty() ? StrategyCatalog.strategies() : distinct(only);
        if (strategies.isEmpty()) {
            throw new CliException(ExitStatus.FAILED, "no strategy on the class path: nothing to "
                    + "demo");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("echo: %d connections, %d-byte messages, %s s per strategy, every reply checked "
                + "byte for byte%n%n", connections, size,
                seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds));
        TextTable table = new TextTable(left("STRATEGY"), right("ROUND TRIPS/S"),
                right("ROUND TRIPS"), right("MIB/S"), right("ERRORS"), left("RESULT"));
        table.widen(0, strategies.stream().mapToInt(s -> s.id().length()).max().orElse(0));
        out.println(table.headerLine());
        out.flush();

        int ran = 0;
        List<String> failures = new ArrayList<>();
        for (Strategy strategy : strategies) {
            Outcome outcome = demo(strategy, duration);
            out.println(table.line(outcome.row()));
            out.flush();
            if (outcome.ran()) {
                ran++;
            }
            outcome.problems().forEach(problem -> failures.add(strategy.id() + ": " + problem));
        }

        out.println();
        failures.forEach(out::println);
        if (failures.isEmpty() && ran > 0) {
            out.println(ran + " of " + strategies.size() + " strategies echoed every byte correctly.");
            out.flush();
            return ExitStatus.OK.code;
        }
        out.flush();
        if (ran == 0) {
            throw new CliException(ExitStatus.FAILED, "no strategy could run the echo demo");
        }
        throw new CliException(ExitStatus.FAILED, failures.size() + " problem(s), see above");
    }

    private Outcome demo(Strategy strategy, Duration duration) throws InterruptedException {
        Availability availability = StrategyCatalog.availability(strategy);
        if (!availability.available()) {
            return skipped(strategy, "unavailable: " + availability.reason());
        }
        if (!strategy.plays(Workload.ECHO)) {
            return skipped(strategy, "skipped: does not implement echo");
        }
        RunningServer server;
        try {
            server = strategy.start(ServerSpec.loopback(Workload.ECHO));
        } catch (Exception | LinkageError startFailed) {
            // A smoke test reports a broken strategy and goes on with the others.
            return failed(strategy, "could not start: " + startFailed);
        }
        VerifyingEchoClient.Result result;
        String closeFailure;
        try {
            result = new VerifyingEchoClient(server.address(), connections, size, REPLY_TIMEOUT)
                    .run(duration);
        } finally {
            closeFailure = close(server);
        }
        if (closeFailure != null) {
            return failed(strategy, closeFailure);
        }
        List<String> problems = new ArrayList<>(result.errors());
        if (result.errorCount() > result.errors().size()) {
            problems.add("and " + (result.errorCount() - result.errors().size()) + " more errors");
        }
        if (result.ok()) {
            // close() has returned, so the counters are final and must agree with the client.
            problems.addAll(counterProblems(server.counters(), result));
        }
        double seconds = result.elapsedNanos() / 1e9;
        Object[] row = {strategy.id(),
                String.format("%,.0f", result.roundTripsPerSecond()),
                String.format("%,d", result.roundTrips()),
                String.format("%,.1f", result.roundTrips() * (double) size / seconds / (1 << 20)),
                result.errorCount(),
                problems.isEmpty() ? "ok" : "FAILED"};
        return new Outcome(row, true, problems);
    }

    /** What the server counted must match what the client did (ServerCounters' rules). */
    private List<String> counterProblems(ServerCounters counters, VerifyingEchoClient.Result result) {
        List<String> problems = new ArrayList<>();
        if (counters.connectionsOpened() != result.connections()) {
            problems.add("server counted " + counters.connectionsOpened()
                    + " connections opened; the client opened " + result.connections());
        }
        if (counters.connectionsClosed() != counters.connectionsOpened()) {
            problems.add("server counted " + counters.connectionsOpened() + " connections opened but "
                    + counters.connectionsClosed() + " closed");
        }
        if (counters.bytesRead() != result.bytesSent() || counters.bytesWritten() != result.bytesSent()) {
            problems.add("server counted " + counters.bytesRead() + " B read and "
                    + counters.bytesWritten() + " B written; the client sent and verified "
                    + result.bytesSent() + " B");
        }
        if (counters.errors() != 0) {
            problems.add("server counted " + counters.errors() + " errors on clean connections");
        }
        return problems;
    }

    /** Closes the server; returns what went wrong, or null. */
    private static String close(RunningServer server) {
        try {
            server.close();
            return null;
        } catch (RuntimeException closeFailed) {
            return "close() failed: " + closeFailed;
        }
    }

    private static Outcome skipped(Strategy strategy, String why) {
        return new Outcome(new Object[] {strategy.id(), "-", "-", "-", "-", why}, false, List.of());
    }

    private static Outcome failed(Strategy strategy, String why) {
        return new Outcome(new Object[] {strategy.id(), "-", "-", "-", "-", "FAILED"}, true,
                List.of(why));
    }

    /** The strategies named with -s, each once, in the order given. */
    private static List<Strategy> distinct(List<Strategy> named) {
        Map<String, Strategy> byId = new LinkedHashMap<>();
        named.forEach(strategy -> byId.putIfAbsent(strategy.id(), strategy));
        return List.copyOf(byId.values());
    }

    private Duration validatedDuration() {
        if (!(seconds > 0 && seconds <= 3600)) {
            throw wrong("--seconds must be more than 0 and at most 3600, not " + seconds);
        }
        if (connections < 1 || connections > 10_000) {
            throw wrong("--connections must be 1-10000, not " + connections);
        }
        if (size < 1 || size > 64 << 20) {
            throw wrong("--size must be 1 B to 64 MiB, not " + size);
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private ParameterException wrong(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
