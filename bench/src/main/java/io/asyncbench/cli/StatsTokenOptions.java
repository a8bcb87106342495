package io.asyncbench.cli;

import io.asyncbench.harness.cli.CliException;
import io.asyncbench.harness.cli.ExitStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --token TOKEN | --token-file FILE}: the secret of a server's stats port ('serve
 * --stats-port' prints it), for every command that reads a remote server's stats ({@code run
 * --stats}, {@code load --stats}). A picocli mixin, so that both say and check it the same way.
 */
final class StatsTokenOptions {

    @Option(names = "--token", paramLabel = "TOKEN", description = "The stats port's token, as 'serve' printed it.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the stats port's token from FILE (keeps it out of the process list).")
    Path file;

    /** True when either option was given. */
    boolean given() {
        return token != null || file != null;
    }

    /** True when exactly one of the two was given, as --stats needs. */
    boolean exactlyOne() {
        return (token == null) != (file == null);
    }

    /** The token: --token's, or --token-file's first line; an unreadable file is a failed command. */
    String read() {
        try {
            return token != null ? token : Files.readString(file).trim();
        } catch (IOException unreadable) {
            throw new CliException(ExitStatus.FAILED, "--token-file " + file + ": " + unreadable.getMessage());
        }
    }
}
