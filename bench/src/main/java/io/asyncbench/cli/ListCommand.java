package io.asyncbench.cli;

import io.asyncbench.api.Availability;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.external.ExternalServerStrategy;
import io.asyncbench.external.References;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.StrategyCatalog;

import static io.asyncbench.cli.TextTable.left;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code asyncbench list}: the strategies on the class path, whether they run here, and the workloads. */
@Command(name = "list",
        description = {"Lists every strategy found on the class path: whether it can run on this "
                + "machine (and why not), its description and the server workloads it implements; "
                + "then the reference servers (asyncio, uvloop, c-epoll) the same way; then the workloads."})
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ids", description = "Only the ids of the strategies that can run here, one a line, "
            + "in their declared order (for scripts).")
    boolean ids;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (ids) {
            StrategyCatalog.strategies().stream().filter(s -> StrategyCatalog.availability(s).available())
                    .forEach(s -> out.println(s.id()));
            out.flush();
            return ExitStatus.OK.code;
        }
        printStrategies(out, StrategyCatalog.strategies());
        out.println();
        out.println("Reference servers (references/; run measures them beside the strategies):");
        printTable(out, References.all().stream().<Strategy>map(ExternalServerStrategy::new).toList());
        out.println();
        printWorkloads(out);
        out.flush();
        return ExitStatus.OK.code;
    }

    private static void printStrategies(PrintWriter out, List<Strategy> strategies) {
        if (strategies.isEmpty()) {
            out.println("No strategy on the class path: each impl-* module registers its own in "
                    + "META-INF/services/" + Strategy.class.getName() + ".");
            return;
        }
        out.println("Strategies (" + strategies.size() + "):");
        printTable(out, strategies);
    }

    private static void printTable(PrintWriter out, List<Strategy> strategies) {
        TextTable table = new TextTable(left("STRATEGY"), left("AVAILABLE"),
                left("SERVER WORKLOADS"), left("DESCRIPTION"));
        // Reasons are often long: footnotes keep the table readable.
        List<String> reasons = new ArrayList<>();
        for (Strategy strategy : strategies) {
            Availability availability = StrategyCatalog.availability(strategy);
            String available = "yes";
            if (!availability.available()) {
                reasons.add("[" + (reasons.size() + 1) + "] " + strategy.id() + " is unavailable: "
                        + availability.reason());
                available = "no [" + reasons.size() + "]";
            }
            table.row(strategy.id(), available, StrategyCatalog.workloads(strategy),
                    strategy.description());
        }
        table.print(out);
        if (!reasons.isEmpty()) {
            out.println();
            reasons.forEach(out::println);
        }
    }

    private static void printWorkloads(PrintWriter out) {
        out.println("Workloads:");
        TextTable table = new TextTable(left("WORKLOAD"), left("ROLE"), left("DESCRIPTION"));
        for (Workload workload : Workload.values()) {
            table.row(workload.id(), workload.role().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    workload.description());
        }
        table.print(out);
    }
}
