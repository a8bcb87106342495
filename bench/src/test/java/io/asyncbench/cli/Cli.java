package io.asyncbench.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** Runs the CLI in this JVM with captured output, which another thread may await while it runs. */
final class Cli {

    record Run(int exitCode, String out, String err) {
    }

    private final Captured out = new Captured();
    private final Captured err = new Captured();

    static Run execute(String... args) {
        Cli cli = new Cli();
        int exitCode = cli.run(args);
        return new Run(exitCode, cli.out(), cli.err());
    }

    int run(String... args) {
        CommandLine commandLine = AsyncBenchCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    String out() {
        return out.text();
    }

    String err() {
        return err.text();
    }

    /** Waits until standard output matches {@code pattern}; empty if {@code giveUp} says so first. */
    Optional<Matcher> awaitOut(Pattern pattern, BooleanSupplier giveUp) throws InterruptedException {
        return out.await(pattern, giveUp);
    }

    /** A Writer that wakes up whoever awaits a pattern in what was written. */
    private static final class Captured extends Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            text.append(chars, offset, length);
            notifyAll();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        synchronized String text() {
            return text.toString();
        }

        synchronized Optional<Matcher> await(Pattern pattern, BooleanSupplier giveUp)
                throws InterruptedException {
            while (true) {
                Matcher matcher = pattern.matcher(text);
                if (matcher.find()) {
                    return Optional.of(matcher);
                }
                if (giveUp.getAsBoolean()) {
                    return Optional.empty();
                }
                wait(100); // woken by every write; the timeout re-checks giveUp
            }
        }
    }
}
