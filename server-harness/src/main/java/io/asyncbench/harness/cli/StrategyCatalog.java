package io.asyncbench.harness.cli;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Strategies;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;

import java.util.Arrays;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.stream.Collectors;

/**
 * The CLI's view of {@link Strategies}: the same discovery, with failures turned into one-line
 * messages instead of stack traces.
 */
public final class StrategyCatalog {

    /** Every strategy on the class path, in presentation order. */
    public static List<Strategy> strategies() {
        try {
            return Strategies.all();
        } catch (IllegalArgumentException badSelection) {
            // -Dasyncbench.strategies names an id that is not there.
            throw new CliException(ExitStatus.USAGE, badSelection.getMessage());
        } catch (IllegalStateException | ServiceConfigurationError brokenModule) {
            // Two strategies with one id, or a services file naming a class that cannot load.
            throw new CliException(ExitStatus.FAILED, "cannot load the strategies: "
                    + brokenModule.getMessage());
        }
    }

    /** The strategy with this id, or an IllegalArgumentException naming the known ids. */
    public static Strategy byId(String id) {
        List<Strategy> all = strategies();
        String wanted = id.trim();
        return all.stream().filter(s -> s.id().equalsIgnoreCase(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown strategy '" + id + "'; "
                        + (all.isEmpty() ? "no strategy is on the class path"
                        : "known: " + String.join(", ", Strategies.ids(all)))));
    }

    /** The strategy's availability; a strategy that breaks the never-throw rule is unavailable. */
    public static Availability availability(Strategy strategy) {
        try {
            return strategy.availability();
        } catch (RuntimeException | LinkageError broken) {
            return Availability.unavailable("availability() threw " + broken);
        }
    }

    /** Fails with {@link ExitStatus#UNAVAILABLE} unless the strategy can serve the workload here. */
    public static void requireServes(Strategy strategy, Workload workload) {
        Availability availability = availability(strategy);
        if (!availability.available()) {
            throw new CliException(ExitStatus.UNAVAILABLE, "strategy '" + strategy.id()
                    + "' is unavailable here: " + availability.reason());
        }
        if (!strategy.plays(workload)) {
            throw new CliException(ExitStatus.UNAVAILABLE, "strategy '" + strategy.id()
                    + "' does not implement the " + workload + " workload; it serves: "
                    + workloads(strategy));
        }
    }

    /** The workloads a strategy plays, in either role, in {@link Workload} order: "echo, http". */
    public static String workloads(Strategy strategy) {
        String list = Arrays.stream(Workload.values()).filter(strategy::plays).map(Workload::id)
                .collect(Collectors.joining(", "));
        return list.isEmpty() ? "-" : list;
    }

    private StrategyCatalog() {
    }
}
