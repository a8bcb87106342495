package io.asyncbench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns a failed JMH run into the one message metadata.json and the console show. */
final class FailureText {

    /**
     * The benchmark's own exception as JMH printed it in the log after {@code <failure>} (a
     * forked benchmark's exception reaches the host only as text), else the exception chain.
     */
    static String of(Throwable failure, Path log) {
        String fromLog = fromLog(log);
        if (fromLog != null) {
            return fromLog;
        }
        // JMH wraps the benchmark's exception twice (RunnerException, BenchmarkException): the
        // innermost cause is the one that says what went wrong.
        Throwable innermost = failure;
        List<String> wrappers = new ArrayList<>();
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            wrappers.add(innermost.getClass().getSimpleName());
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage() == null ? innermost.toString()
                : innermost.getClass().getSimpleName() + ": " + innermost.getMessage();
        return wrappers.isEmpty() ? message : message + " (via " + String.join(", ", wrappers) + ")";
    }

    static String fromLog(Path log) {
        if (log == null || !Files.exists(log)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return null;
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().endsWith("<failure>")) { // "# Warmup Iteration   2: <failure>"
                List<String> message = new ArrayList<>();
                for (int j = i + 1; j < lines.size() && message.size() < 6; j++) {
                    String line = lines.get(j);
                    if (line.startsWith("\tat ") || line.startsWith("    at ")) {
                        break;
                    }
                    if (!line.isBlank()) {
                        message.add(line.trim());
                    }
                }
                if (!message.isEmpty()) {
                    return String.join(" ", message);
                }
            }
        }
        return null;
    }

    static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 240 ? line.substring(0, 237) + "..." : line;
    }

    private FailureText() {
    }
}
