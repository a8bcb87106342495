package io.asyncbench.harness.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * asyncbench's error handling for a picocli command line, the same for {@code asyncbench} and for
 * a server JVM that runs {@code serve} alone: errors the user can fix (a bad option, an unknown
 * strategy, a port in use) print one line and a non-zero {@link ExitStatus}; only bugs print a
 * stack trace.
 */
public final class CommandLines {

    private CommandLines() {
    }

    /** {@code command} as a command line with that error handling. */
    public static CommandLine withErrorHandling(Object command) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setParameterExceptionHandler(CommandLines::onWrongCommandLine);
        commandLine.setExecutionExceptionHandler(CommandLines::onFailure);
        return commandLine;
    }

    /** "asyncbench serve: Invalid value for option '--strategy': ..." plus a pointer to --help. */
    private static int onWrongCommandLine(ParameterException wrong, String[] args) {
        CommandLine command = wrong.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + wrong.getMessage());
        UnmatchedArgumentException.printSuggestions(wrong, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return ExitStatus.USAGE.code;
    }

    private static int onFailure(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        if (failure instanceof CliException userError) {
            err.println(name + ": " + userError.getMessage());
            err.flush();
            return userError.status().code;
        }
        // Anything else is a bug in asyncbench or in a strategy: the trace is for whoever fixes it.
        err.println(name + ": internal error: " + failure);
        failure.printStackTrace(err);
        err.flush();
        return ExitStatus.FAILED.code;
    }
}
