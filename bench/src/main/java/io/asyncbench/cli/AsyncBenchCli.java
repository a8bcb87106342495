package io.asyncbench.cli;

import io.asyncbench.harness.ServeCommand;
import io.asyncbench.harness.cli.CommandLines;
import io.asyncbench.harness.cli.ExitStatus;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code asyncbench} command line. Each subcommand is a class of its own in this package;
 * adding one is adding it to {@code subcommands} below.
 *
 * <p>Errors the user can fix (a bad option, an unknown strategy, a port in use) print one line
 * and a non-zero {@link ExitStatus}; only bugs print a stack trace ({@link CommandLines}).
 */
@Command(name = "asyncbench",
        // -h and -V, and this version provider, for every subcommand too
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = AsyncBenchCli.Version.class,
        description = "The same async network workloads, written once per JVM concurrency style, "
                + "measured side by side.",
        subcommands = {ListCommand.class, ServeCommand.class, DemoCommand.class, RunCommand.class,
                LoadCommand.class, MergeCommand.class, ReportCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 wrong command line, "
                + "3 strategy unavailable or workload not implemented."})
public final class AsyncBenchCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with asyncbench's error handling; tests give it their own writers with
     * {@code setOut}/{@code setErr} and call {@code execute}.
     */
    public static CommandLine commandLine() {
        return CommandLines.withErrorHandling(new AsyncBenchCli());
    }

    /** Without a subcommand there is nothing to do: say what there is. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("asyncbench: missing command");
        spec.commandLine().usage(err);
        return ExitStatus.USAGE.code;
    }

    /** The project version from the jar's manifest, and the JDK it runs on. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Objects.requireNonNullElse(
                    AsyncBenchCli.class.getPackage().getImplementationVersion(), "(not from a jar)");
            return new String[] {
                "asyncbench " + version,
                "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at "
                        + System.getProperty("java.home")};
        }
    }
}
