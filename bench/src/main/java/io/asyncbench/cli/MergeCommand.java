package io.asyncbench.cli;

import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.reports.ReportGenerator;
import io.asyncbench.run.LoadHostResult;
import io.asyncbench.run.LoadMerge;
import io.asyncbench.run.MergedResults;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code asyncbench merge}: the folders that {@code load --out} wrote on several hosts that drove
 * one server at the same time, as one results folder with its report.
 */
@Command(name = "merge", sortOptions = false,
        description = {"Combines what several load hosts measured of one server at the same time "
                + "('load --out DIR --stats ...' on each, started with the same --start-at) into one "
                + "results folder, and writes its report. The loads of one server process of one benchmark "
                + "over one kind of path (loopback or network) are one measurement, one row.",
                "Operations are added up per second of the window, server CPU and allocation per operation "
                        + "come from the server's stats that the hosts read, latency histograms are added by "
                        + "HdrHistogram. Loads with a wrong reply, of different benchmarks or servers, or "
                        + "whose windows do not line up, are refused."})
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOAD_DIR", arity = "1..*", description = "The folders 'load --out' wrote, one per host.")
    List<Path> loads;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", required = true,
            description = "The results folder to write (must not hold results yet).")
    Path out;

    @Option(names = "--strategy", paramLabel = "NAME",
            description = "The server's strategy, when no load read its stats (load --stats).")
    String strategy;

    @Option(names = "--no-report", description = "Do not write the report.")
    boolean noReport;

    @Override
    public Integer call() throws IOException {
        List<LoadHostResult> hosts = new ArrayList<>();
        for (Path dir : loads) {
            try {
                hosts.add(LoadHostResult.read(dir));
            } catch (IOException unreadable) {
                throw new CliException(ExitStatus.FAILED, unreadable.getMessage());
            }
        }
        List<LoadMerge> merges = new ArrayList<>();
        try {
            for (List<LoadHostResult> measurement : LoadMerge.measurements(hosts)) {
                merges.add(LoadMerge.of(measurement, strategy));
            }
        } catch (IllegalArgumentException notOne) {
            throw new CliException(ExitStatus.FAILED, "cannot merge: " + notOne.getMessage());
        }
        try {
            MergedResults.write(merges, out, loads);
        } catch (IOException notWritten) {
            throw new CliException(ExitStatus.FAILED, notWritten.getMessage());
        }
        PrintWriter text = spec.commandLine().getOut();
        for (LoadMerge merge : merges) {
            text.printf(Locale.ROOT, "%s %s over %s, %d load hosts, %,d operations: %,.0f ops/s%s (windows %.1f ms "
                            + "apart at most)%n", merge.strategy(), merge.workload(), merge.params().get("network"),
                    merge.hosts().size(), merge.operations(), average(merge.opsPerSecond()),
                    merge.serverCpuNanosPerOp().isEmpty() ? ", no server figures"
                            : String.format(Locale.ROOT, ", server CPU %,.1f µs/op, allocation %,.0f B/op",
                            average(merge.serverCpuNanosPerOp()) / 1000, average(merge.serverAllocBytesPerOp())),
                    merge.skew().toNanos() / 1e6);
        }
        text.println("results: " + out);
        text.flush();
        if (!noReport) {
            text.println("report: " + ReportCommand.write(out, Optional.empty(), out.resolve(ReportGenerator.DEFAULT_OUT))
                    .index());
            text.flush();
        }
        return ExitStatus.OK.code;
    }

    private static double average(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
