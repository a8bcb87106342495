package io.asyncbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads {@code explain/*.json} ({@link ExplainRun}). Unlike the rest of a results folder, a file
 * here that cannot be read does not stop the report: the section says which and why, and shows
 * the others. The explanation is an aid to reading the figures, not a figure.
 */
final class ExplainReader {

    static final String DIR = "explain";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What was read, and one line per file that could not be. */
    record Read(List<ExplainRun> runs, List<String> problems) {
    }

    private ExplainReader() {
    }

    static Read read(Path resultsDir) {
        Path dir = resultsDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return new Read(List.of(), List.of());
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return new Read(List.of(), List.of(DIR + "/: cannot list: " + e.getMessage()));
        }
        List<ExplainRun> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                runs.add(parse(file.getFileName().toString(), JSON.readTree(file.toFile())));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(DIR + "/" + file.getFileName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
        return new Read(List.copyOf(runs), List.copyOf(problems));
    }

    /** One file's run; IllegalArgumentException names what is missing or wrong. */
    static ExplainRun parse(String file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Map<String, String> params = new TreeMap<>();
        JsonNode p = root.get("params");
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException("\"params\" is missing or not an object");
        }
        for (var e : p.properties()) {
            params.put(e.getKey(), e.getValue().asText());
        }
        String strategy = params.remove("strategy");
        if (strategy == null || strategy.isBlank()) {
            throw new IllegalArgumentException("params has no \"strategy\"");
        }
        long operations = whole(root, "operations");
        double window = positive(root, "windowMillis");
        ExplainRun.Kernel kernel = null;
        JsonNode k = root.get("kernel");
        if (k != null && k.isObject()) {
            kernel = new ExplainRun.Kernel(whole(k, "readSyscalls"), whole(k, "writeSyscalls"),
                    whole(k, "voluntaryContextSwitches"), whole(k, "involuntaryContextSwitches"),
                    (int) whole(k, "threads"), positive(k, "windowMillis"));
        }
        return new ExplainRun(file, text(root, "benchmark"), text(root, "workload"), strategy, Params.sorted(params),
                root.path("kind").asText("jvm"), operations, window, optional(root, "recording"),
                optional(root, "recordingProblem"), kernel, optional(root, "kernelProblem"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a text");
        }
        return v.asText();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long whole(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a whole number >= 0");
        }
        return v.asLong();
    }

    private static double positive(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber() || !(v.asDouble() > 0)) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a number > 0");
        }
        return v.asDouble();
    }
}
