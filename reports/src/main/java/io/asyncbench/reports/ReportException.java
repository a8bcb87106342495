package io.asyncbench.reports;

import java.nio.file.Path;

/**
 * A results folder that cannot be turned into a report. The message is one line that names the file
 * and the problem ({@code results/x/jmh-result.json: truncated JSON at line 12, column 3}), fit to be
 * printed as it is by a command line before it exits non-zero.
 */
public final class ReportException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public ReportException(Path file, String problem) {
        this(file, problem, null);
    }

    public ReportException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
    }

    /** The file (or folder) the problem is in. */
    public Path file() {
        return file;
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
