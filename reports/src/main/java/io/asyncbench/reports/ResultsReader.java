package io.asyncbench.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a results folder (the format bench writes: jmh-result.json, metadata.json, latency/) and
 * checks it. Every problem becomes a {@link ReportException} naming the file, and where it helps the
 * entry, line and column.
 */
final class ResultsReader {

    static final String JMH_RESULT = "jmh-result.json";
    static final String METADATA = "metadata.json";
    static final String LATENCY_DIR = "latency";
    static final String LATENCY_INDEX = "index.json";
    static final String CONNECTIONS_DIR = "connections";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // JMH can print NaN for an unknown error
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ResultsReader() {
    }

    static Results read(Path dir) throws ReportException {
        if (!Files.exists(dir)) {
            throw new ReportException(dir, "results folder does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new ReportException(dir, "is not a folder (give the results folder that holds " + JMH_RESULT + ")");
        }
        Path jmhFile = dir.resolve(JMH_RESULT);
        if (!Files.exists(jmhFile)) {
            throw new ReportException(jmhFile, "missing: this does not look like a results folder (expected "
                    + JMH_RESULT + ", " + METADATA + " and " + LATENCY_DIR + "/)");
        }
        List<BenchmarkResult> benchmarks = readJmh(jmhFile);

        Path metadataFile = dir.resolve(METADATA);
        boolean hasMetadata = Files.exists(metadataFile);
        Metadata metadata = hasMetadata ? readMetadata(metadataFile) : Metadata.unknown();

        List<LatencyRun> latency = readLatency(dir.resolve(LATENCY_DIR));
        List<ConnectionRun> connections = readConnections(dir.resolve(CONNECTIONS_DIR));
        return new Results(dir, benchmarks, metadata, hasMetadata, latency, connections);
    }

    // ---------------------------------------------------------------- jmh-result.json

    static List<BenchmarkResult> readJmh(Path file) throws ReportException {
        JsonNode root = parse(file);
        if (!root.isArray()) {
            throw new ReportException(file, "expected a JSON array of JMH results, found " + kind(root));
        }
        if (root.isEmpty()) {
            throw new ReportException(file, "holds no benchmark results (an empty array)");
        }
        List<BenchmarkResult> out = new ArrayList<>();
        var seen = new LinkedHashMap<String, Integer>();
        for (int i = 0; i < root.size(); i++) {
            BenchmarkResult r = benchmark(file, i, root.get(i));
            Integer previous = seen.put(r.identity(), i + 1);
            if (previous != null) {
                throw new ReportException(file, "result #" + (i + 1) + " repeats result #" + previous
                        + " (" + r.identity() + ")");
            }
            out.add(r);
        }
        return List.copyOf(out);
    }

    private static BenchmarkResult benchmark(Path file, int index, JsonNode node) throws ReportException {
        String where = "result #" + (index + 1);
        if (!node.isObject()) {
            throw new ReportException(file, where + ": expected an object, found " + kind(node));
        }
        String benchmark = text(file, where, node, "benchmark");
        where += " (" + benchmark + ")";
        String modeName = text(file, where, node, "mode");
        Mode mode = Mode.fromJmh(modeName).orElseThrow(() -> new ReportException(file,
                "result #" + (index + 1) + ": unknown mode \"" + modeName + "\" (expected thrpt, avgt, sample or ss)"));

        JsonNode paramsNode = node.get("params");
        if (paramsNode == null || !paramsNode.isObject()) {
            throw new ReportException(file, where + ": \"params\" is missing or not an object"
                    + " (every asyncbench benchmark has a \"strategy\" parameter)");
        }
        Map<String, String> all = stringMap(file, where + ": params", paramsNode);
        String strategy = all.remove("strategy");
        if (strategy == null || strategy.isBlank()) {
            throw new ReportException(file, where + ": params has no \"strategy\"");
        }

        JsonNode primaryNode = node.get("primaryMetric");
        if (primaryNode == null) {
            throw new ReportException(file, where + ": missing \"primaryMetric\"");
        }
        Metric primary = metric(file, where + ": primaryMetric", primaryNode);

        Map<String, Metric> secondary = new LinkedHashMap<>();
        JsonNode secondaryNode = node.get("secondaryMetrics");
        if (secondaryNode != null && !secondaryNode.isNull()) {
            if (!secondaryNode.isObject()) {
                throw new ReportException(file, where + ": \"secondaryMetrics\" is not an object");
            }
            for (var e : secondaryNode.properties()) {
                String at = where + ": secondaryMetrics." + e.getKey();
                JsonNode score = e.getValue().get("score");
                // Not measured (JMH writes NaN, e.g. server figures without a server): absent, shown as "—".
                if (score != null && !score.isNull() && !Double.isFinite(asDouble(file, at + ".score", score))) {
                    continue;
                }
                secondary.put(e.getKey(), metric(file, at, e.getValue()));
            }
        }

        String simpleClass = className(benchmark);
        String workload = (simpleClass.endsWith("Benchmark")
                ? simpleClass.substring(0, simpleClass.length() - "Benchmark".length())
                : simpleClass).toLowerCase(Locale.ROOT);
        int dot = benchmark.lastIndexOf('.');
        String method = dot >= 0 ? benchmark.substring(dot + 1) : benchmark;

        return new BenchmarkResult(benchmark, workload, method, mode, strategy, Params.sorted(all), primary,
                Map.copyOf(secondary), integer(file, where, node, "threads"), integer(file, where, node, "forks"),
                integer(file, where, node, "warmupIterations"), integer(file, where, node, "measurementIterations"));
    }

    private static String className(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        String cls = dot >= 0 ? benchmark.substring(0, dot) : benchmark;
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    private static Metric metric(Path file, String where, JsonNode node) throws ReportException {
        if (!node.isObject()) {
            throw new ReportException(file, where + ": expected an object, found " + kind(node));
        }
        double score = number(file, where, node, "score", true);
        double error = number(file, where, node, "scoreError", false);
        double low = Double.NaN;
        double high = Double.NaN;
        JsonNode conf = node.get("scoreConfidence");
        if (conf != null && !conf.isNull()) {
            if (!conf.isArray() || conf.size() != 2) {
                throw new ReportException(file, where + ": \"scoreConfidence\" is not a [low, high] pair");
            }
            low = asDouble(file, where + ".scoreConfidence[0]", conf.get(0));
            high = asDouble(file, where + ".scoreConfidence[1]", conf.get(1));
        } else if (Double.isFinite(error)) {
            low = score - error;
            high = score + error;
        }
        String unit = text(file, where, node, "scoreUnit");
        Map<String, Double> percentiles = new TreeMap<>((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        JsonNode p = node.get("scorePercentiles");
        if (p != null && p.isObject()) {
            for (var e : p.properties()) {
                if (Params.number(e.getKey()) == null) {
                    throw new ReportException(file, where + ": scorePercentiles key \"" + e.getKey() + "\" is not a number");
                }
                percentiles.put(e.getKey(), asDouble(file, where + ".scorePercentiles." + e.getKey(), e.getValue()));
            }
        }
        List<Double> samples = new ArrayList<>();
        JsonNode raw = node.get("rawData");
        if (raw != null && raw.isArray()) {
            for (JsonNode fork : raw) {
                if (fork.isArray()) {
                    for (JsonNode v : fork) {
                        if (v.isNumber() && Double.isFinite(v.asDouble())) {
                            samples.add(v.asDouble());
                        }
                    }
                }
            }
        }
        return new Metric(score, error, low, high, unit, percentiles, samples);
    }

    // ---------------------------------------------------------------- metadata.json

    static Metadata readMetadata(Path file) throws ReportException {
        JsonNode root = parse(file);
        if (!root.isObject()) {
            throw new ReportException(file, "expected a JSON object, found " + kind(root));
        }
        JsonNode jdk = object(file, root, "jdk");
        JsonNode os = object(file, root, "os");
        JsonNode cpu = object(file, root, "cpu");
        JsonNode placement = object(file, root, "placement");

        List<Metadata.StrategyInfo> strategies = new ArrayList<>();
        JsonNode s = root.get("strategies");
        if (s != null && !s.isNull()) {
            if (!s.isArray()) {
                throw new ReportException(file, "\"strategies\" is not an array");
            }
            for (int i = 0; i < s.size(); i++) {
                JsonNode e = s.get(i);
                String where = "strategies[" + i + "]";
                if (!e.isObject()) {
                    throw new ReportException(file, where + ": expected an object, found " + kind(e));
                }
                String id = text(file, where, e, "id");
                strategies.add(new Metadata.StrategyInfo(id, optText(e, "description"),
                        !e.has("available") || e.get("available").asBoolean(true), optText(e, "reason"),
                        optText(e, "kind"), facts(file, where, id, e)));
            }
        }
        List<Metadata.Failure> failures = new ArrayList<>();
        JsonNode f = root.get("failures");
        if (f != null && !f.isNull()) {
            if (!f.isArray()) {
                throw new ReportException(file, "\"failures\" is not an array");
            }
            for (int i = 0; i < f.size(); i++) {
                JsonNode e = f.get(i);
                String where = "failures[" + i + "]";
                if (!e.isObject()) {
                    throw new ReportException(file, where + ": expected an object, found " + kind(e));
                }
                JsonNode fp = e.get("params");
                Map<String, String> params = fp != null && fp.isObject() ? stringMap(file, where + ".params", fp) : Map.of();
                failures.add(new Metadata.Failure(optText(e, "benchmark"), Params.sorted(params), optText(e, "message")));
            }
        }
        JsonNode params = root.get("parameters");
        Map<String, String> parameters = params != null && params.isObject()
                ? stringMap(file, "parameters", params) : Map.of();
        Long memory = root.hasNonNull("memoryBytes") ? (long) number(file, "metadata", root, "memoryBytes", true) : null;
        Integer cores = cpu != null && cpu.hasNonNull("cores") ? (int) number(file, "cpu", cpu, "cores", true) : null;
        return new Metadata(optText(root, "tool"), optText(root, "version"), optText(root, "profile"),
                optText(root, "startedAt"), optText(root, "finishedAt"), optText(root, "gitCommit"),
                optText(jdk, "vendor"), optText(jdk, "version"), optText(jdk, "vmName"),
                optText(os, "name"), optText(os, "version"), optText(os, "arch"),
                optText(cpu, "model"), cores, memory,
                optText(placement, "server"), optText(placement, "loadGenerator"),
                Map.copyOf(parameters), List.copyOf(strategies), List.copyOf(failures));
    }

    /**
     * A strategy's facts ({@code Strategy.facts()}, written by run), or null when the entry has none
     * (a folder written before run wrote them).
     */
    private static Lineup.Entry facts(Path file, String where, String id, JsonNode strategy) throws ReportException {
        JsonNode f = strategy.get("facts");
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isObject()) {
            throw new ReportException(file, where + ": \"facts\" is " + kind(f) + ", expected an object");
        }
        String colour = optText(f, "colour");
        if (colour != null && !colour.matches("#[0-9a-fA-F]{6}")) {
            throw new ReportException(file, where + ".facts: \"colour\" is \"" + clip(colour) + "\", expected #rrggbb");
        }
        int order = f.hasNonNull("order") ? integer(file, where + ".facts", f, "order") : Integer.MAX_VALUE;
        String role = optText(f, "role");
        return new Lineup.Entry(id, order, colour, optText(f, "module"), "dashed".equals(optText(f, "line")),
                role == null ? "style" : role, false);
    }

    // ---------------------------------------------------------------- latency/

    static List<LatencyRun> readLatency(Path dir) throws ReportException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Path index = dir.resolve(LATENCY_INDEX);
        if (!Files.exists(index)) {
            long hgrms;
            try (Stream<Path> files = Files.list(dir)) {
                hgrms = files.filter(p -> p.getFileName().toString().endsWith(".hgrm")).count();
            } catch (IOException e) {
                throw new ReportException(dir, "cannot list: " + e.getMessage(), e);
            }
            if (hgrms > 0) {
                throw new ReportException(index, "missing, but " + dir + " holds " + hgrms
                        + " .hgrm files (the index says which run each one is)");
            }
            return List.of();
        }
        JsonNode root = parse(index);
        if (!root.isArray()) {
            throw new ReportException(index, "expected a JSON array of latency runs, found " + kind(root));
        }
        List<LatencyRun> runs = new ArrayList<>();
        Path base = dir.toAbsolutePath().normalize();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String where = "entry #" + (i + 1);
            if (!e.isObject()) {
                throw new ReportException(index, where + ": expected an object, found " + kind(e));
            }
            String name = text(index, where, e, "file");
            Path hgrm = dir.resolve(name);
            if (!hgrm.toAbsolutePath().normalize().getParent().equals(base)) {
                throw new ReportException(index, where + ": \"file\" must name a file inside " + LATENCY_DIR
                        + "/, not \"" + name + "\"");
            }
            if (!Files.isRegularFile(hgrm)) {
                throw new ReportException(hgrm, "listed in " + LATENCY_DIR + "/" + LATENCY_INDEX + " but missing");
            }
            JsonNode params = e.get("params");
            Map<String, String> p = params != null && params.isObject() ? stringMap(index, where + ".params", params) : new LinkedHashMap<>();
            p.remove("strategy");
            Double fraction = e.hasNonNull("fractionOfPeak") ? number(index, where, e, "fractionOfPeak", true) : null;
            runs.add(new LatencyRun(name, text(index, where, e, "workload"), text(index, where, e, "strategy"),
                    Params.sorted(p), number(index, where, e, "intendedRatePerSecond", true), fraction,
                    HgrmParser.parse(hgrm), OpenLoopFigures.of(e)));
        }
        return List.copyOf(runs);
    }

    // ---------------------------------------------------------------- connections/

    /**
     * Every {@code connections/*.json} (one per JMH fork), the files of one result (several forks)
     * merged into one {@link ConnectionRun}, in file-name order.
     */
    static List<ConnectionRun> readConnections(Path dir) throws ReportException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new ReportException(dir, "cannot list: " + e.getMessage(), e);
        }
        Map<String, ConnectionRun> merged = new LinkedHashMap<>();
        for (Path file : files) {
            JsonNode root = parse(file);
            if (!root.isObject()) {
                throw new ReportException(file, "expected a JSON object, found " + kind(root));
            }
            String benchmark = text(file, "the file", root, "benchmark");
            JsonNode paramsNode = root.get("params");
            if (paramsNode == null || !paramsNode.isObject()) {
                throw new ReportException(file, "\"params\" is missing or not an object");
            }
            Map<String, String> params = stringMap(file, "params", paramsNode);
            String strategy = params.remove("strategy");
            if (strategy == null || strategy.isBlank()) {
                throw new ReportException(file, "params has no \"strategy\"");
            }
            JsonNode servers = root.get("servers");
            if (servers == null || !servers.isArray()) {
                throw new ReportException(file, "\"servers\" is missing or not an array");
            }
            List<ConnectionRun.Server> list = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                list.add(connectionServer(file, "servers[" + i + "]", servers.get(i)));
            }
            String simpleClass = className(benchmark);
            String workload = (simpleClass.endsWith("Benchmark")
                    ? simpleClass.substring(0, simpleClass.length() - "Benchmark".length()) : simpleClass)
                    .toLowerCase(Locale.ROOT);
            ConnectionRun run = new ConnectionRun(benchmark, workload, strategy, Params.sorted(params), list);
            String key = benchmark + " " + strategy + " " + Params.label(run.params());
            ConnectionRun before = merged.get(key);
            if (before != null) {
                List<ConnectionRun.Server> all = new ArrayList<>(before.servers());
                all.addAll(list);
                run = new ConnectionRun(benchmark, workload, strategy, run.params(), List.copyOf(all));
            }
            merged.put(key, run);
        }
        return List.copyOf(merged.values());
    }

    private static ConnectionRun.Server connectionServer(Path file, String where, JsonNode node) throws ReportException {
        if (!node.isObject()) {
            throw new ReportException(file, where + ": expected an object, found " + kind(node));
        }
        JsonNode completed = node.get("completed");
        JsonNode gaps = node.get("longestGapMillis");
        if (completed == null || !completed.isArray() || gaps == null || !gaps.isArray()) {
            throw new ReportException(file, where + ": needs the arrays \"completed\" and \"longestGapMillis\"");
        }
        if (completed.size() != gaps.size() || completed.isEmpty()) {
            throw new ReportException(file, where + ": \"completed\" has " + completed.size()
                    + " connections and \"longestGapMillis\" " + gaps.size() + "; expected the same, at least one");
        }
        long[] counts = new long[completed.size()];
        double[] longest = new double[gaps.size()];
        for (int i = 0; i < counts.length; i++) {
            double c = asDouble(file, where + ".completed[" + i + "]", completed.get(i));
            double g = asDouble(file, where + ".longestGapMillis[" + i + "]", gaps.get(i));
            if (c < 0 || c != Math.rint(c) || !(g >= 0)) {
                throw new ReportException(file, where + ": connection " + i + " has " + completed.get(i)
                        + " completions and a gap of " + gaps.get(i) + " ms; expected a whole count and a gap >= 0");
            }
            counts[i] = (long) c;
            longest[i] = g;
        }
        double counted = node.hasNonNull("countedMillis") ? number(file, where, node, "countedMillis", true) : Double.NaN;
        return new ConnectionRun.Server(counts, longest, counted);
    }

    // ---------------------------------------------------------------- helpers

    static JsonNode parse(Path file) throws ReportException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ReportException(file, "missing", e);
        } catch (IOException e) {
            throw new ReportException(file, "cannot read: " + e, e);
        }
        if (text.isBlank()) {
            throw new ReportException(file, "empty file (was the run interrupted?)");
        }
        try {
            return JSON.readTree(text);
        } catch (StreamReadException e) {
            var where = "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            if (e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
                throw new ReportException(file, "truncated JSON: it ends at " + where
                        + " inside an unfinished value (was the run interrupted?)", e);
            }
            throw new ReportException(file, "not valid JSON at " + where + ": " + shortMessage(e), e);
        } catch (JsonProcessingException e) {
            throw new ReportException(file, "not valid JSON: " + shortMessage(e), e);
        }
    }

    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int cut = m.indexOf('\n');
        m = cut >= 0 ? m.substring(0, cut) : m;
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    private static JsonNode object(Path file, JsonNode root, String field) throws ReportException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new ReportException(file, "\"" + field + "\" is " + kind(n) + ", expected an object");
        }
        return n;
    }

    private static String text(Path file, String where, JsonNode node, String field) throws ReportException {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            throw new ReportException(file, where + ": missing \"" + field + "\"");
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new ReportException(file, where + ": \"" + field + "\" is " + kind(n) + ", expected a string");
        }
        return n.asText();
    }

    private static String optText(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode n = node.get(field);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    private static int integer(Path file, String where, JsonNode node, String field) throws ReportException {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.canConvertToInt()) {
            throw new ReportException(file, where + ": \"" + field + "\" is " + kind(n) + ", expected a whole number");
        }
        return n.asInt();
    }

    private static double number(Path file, String where, JsonNode node, String field, boolean required)
            throws ReportException {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new ReportException(file, where + ": missing \"" + field + "\"");
            }
            return Double.NaN;
        }
        double d = asDouble(file, where + "." + field, n);
        if (required && !Double.isFinite(d)) {
            throw new ReportException(file, where + ": \"" + field + "\" is " + n.asText() + ", expected a finite number");
        }
        return d;
    }

    /** A JSON number, or one of the strings JMH writes for non-finite values ("NaN", "Infinity"). */
    private static double asDouble(Path file, String where, JsonNode n) throws ReportException {
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            String t = n.asText().strip();
            switch (t) {
                case "NaN":
                    return Double.NaN;
                case "Infinity", "+Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    Double d = Params.number(t);
                    if (d != null) {
                        return d;
                    }
            }
        }
        throw new ReportException(file, where + " is " + kind(n) + (n.isTextual() ? " \"" + clip(n.asText()) + "\"" : "")
                + ", expected a number");
    }

    private static Map<String, String> stringMap(Path file, String where, JsonNode node) throws ReportException {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                throw new ReportException(file, where + "." + e.getKey() + " is " + kind(v) + ", expected a value");
            }
            out.put(e.getKey(), v.isNull() ? "" : v.asText());
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
