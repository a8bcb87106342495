package io.asyncbench.harness.cli;

/**
 * The exit codes of every command, so that a script can tell a wrong command line from a run that
 * failed. 0, 1 and 2 mean what they mean for picocli ({@code CommandLine.ExitCode}).
 */
public enum ExitStatus {

    /** The command did what it was asked. */
    OK(0),

    /** The command ran and failed: a wrong reply, a port in use, a server that could not start. */
    FAILED(1),

    /** The command line is wrong: an unknown option, strategy or workload, a value out of range. */
    USAGE(2),

    /** The strategy cannot do it here: unavailable on this machine, or the workload not implemented. */
    UNAVAILABLE(3);

    public final int code;

    ExitStatus(int code) {
        this.code = code;
    }
}
