package io.asyncbench.harness.cli;

/**
 * A failure the user can act on (a port in use, an unavailable strategy): printed as one line,
 * without a stack trace, and ending the command with {@link #status()}.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ExitStatus status;

    public CliException(ExitStatus status, String message) {
        // No stack trace: it is never printed, the message says it all.
        super(message, null, false, false);
        this.status = status;
    }

    public ExitStatus status() {
        return status;
    }
}
