package io.asyncbench.cli;

import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.reports.GeneratedReport;
import io.asyncbench.reports.ReportException;
import io.asyncbench.reports.ReportGenerator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code asyncbench report RESULTS_DIR}: hands a results folder to the reports module. */
@Command(name = "report", sortOptions = false,
        description = {"Writes the report of a results folder: index.html (self-contained), "
                + "report.md with SVG charts, and summary.csv, into RESULTS_DIR/report unless --out."})
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS_DIR",
            description = "A folder written by 'asyncbench run' (jmh-result.json, metadata.json, latency/).")
    Path results;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "An earlier results folder to compare with.")
    Path baseline;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: RESULTS_DIR/report).")
    Path out;

    @Override
    public Integer call() {
        GeneratedReport report = write(results, Optional.ofNullable(baseline),
                out != null ? out : results.resolve(ReportGenerator.DEFAULT_OUT));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("report: " + report.index());
        stdout.println("        " + report.markdown());
        stdout.println("        " + report.csv());
        stdout.flush();
        return ExitStatus.OK.code;
    }

    /**
     * Generates the report; a results folder it cannot read is a one-line failure. Strategies a
     * folder lists without their facts (written before run recorded them) take those of the
     * strategies and references here.
     */
    static GeneratedReport write(Path results, Optional<Path> baseline, Path out) {
        try {
            return ReportGenerator.generate(results, baseline, out, KnownFacts.onClassPath());
        } catch (ReportException unreadable) {
            throw new CliException(ExitStatus.FAILED, unreadable.getMessage());
        }
    }
}
