package io.asyncbench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Where a benchmark's processes are written down as they start: one JSON line per process, its
 * role ({@code server} or {@code backends}), strategy, exact command line and engine facts, in the
 * file {@code -Dasyncbench.processLog} names. {@code asyncbench run} gives each case its own file and
 * copies the lines into metadata.json, so a reader sees exactly how every server was started.
 */
public final class ProcessLog {

    /** The file to append to; nothing is written without it. */
    public static final String FILE = "asyncbench.processLog";

    /** Appends one line for {@code process}; a failure to write is reported, never thrown. */
    public static void record(String role, String strategy, ServerProcess process) {
        String file = System.getProperty(FILE, "").trim();
        if (file.isEmpty()) {
            return;
        }
        Map<String, String> facts;
        try {
            facts = process.engineFacts();
        } catch (IOException e) {
            facts = Map.of("error", "no stats answer: " + e.getMessage());
        }
        String line = "{\"role\":" + quote(role) + ",\"strategy\":" + quote(strategy)
                + ",\"pid\":" + process.pid() + ",\"command\":" + array(process.command())
                + ",\"engineFacts\":" + object(facts) + "}\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("asyncbench: cannot record the " + role + " process in " + file + ": " + e);
        }
    }

    private static String array(List<String> items) {
        StringBuilder json = new StringBuilder("[");
        for (String item : items) {
            json.append(json.length() > 1 ? "," : "").append(quote(item));
        }
        return json.append(']').toString();
    }

    private static String object(Map<String, String> facts) {
        StringBuilder json = new StringBuilder("{");
        facts.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(quote(k)).append(':').append(quote(v)));
        return json.append('}').toString();
    }

    static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    private ProcessLog() {
    }
}
