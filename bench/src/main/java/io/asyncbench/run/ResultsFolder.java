package io.asyncbench.run;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One run's results folder, in the format the reports module reads (see docs/ARCHITECTURE.md):
 *
 * <pre>
 *   jmh-result.json    every JMH result of the run, one array (JMH's own JSON objects)
 *   metadata.json      machine, JDK, git commit, profile, parameters, placement, strategies,
 *                      failures (what was not measured, and why)
 *   latency/*.hgrm     open-loop latency, HdrHistogram percentile text, values in microseconds
 *   latency/index.json which run each .hgrm file is
 *   connections/*.json per-connection completions of each closed-loop throughput benchmark,
 *                      written by its JMH fork (io.asyncbench.bench.ConnectionFairness)
 *   logs/              JMH's own output of each case, for whoever investigates a failure
 * </pre>
 *
 * Every file is rewritten whole (through a temporary file and a rename) after each case, so a run
 * that dies part-way leaves a consistent folder with what it measured.
 */
public final class ResultsFolder {

    public static final String JMH_RESULT = "jmh-result.json";
    public static final String METADATA = "metadata.json";
    public static final String LATENCY = "latency";
    public static final String LATENCY_INDEX = "index.json";
    public static final String LOGS = "logs";
    public static final String CONNECTIONS = "connections";
    public static final String MEMORY = "memory.json";
    /** {@code run --explain}: a JFR recording and the kernel's counts per explained case ({@code ExplainWindow}). */
    public static final String EXPLAIN = "explain";

    /**
     * Our {@code @AuxCounters} secondary metrics, with their units. JMH reports them as
     * {@code EVENTS} (summed over iterations, each iteration contributing its share, see
     * {@code ServerMetrics}); here each gets back its per-iteration values, mean and 99.9 %
     * confidence interval, like the primary metric.
     */
    static final Map<String, String> OWN_METRICS = Map.ofEntries(
            Map.entry("serverCpuNanosPerOp", "ns/op"),
            Map.entry("serverCpuPercent", "%"),
            Map.entry("serverAllocBytesPerOp", "B/op"),
            Map.entry("serverErrors", "#"),
            Map.entry("loadGeneratorCpuPercent", "%"),
            Map.entry("backendCpuPercent", "%"),
            Map.entry("serverWarmupMillis", "ms"),
            Map.entry("serverWarmupJitQuiet", "1 = quiet"),
            Map.entry("otherCpuPercentServerCpus", "% of a core"),
            Map.entry("otherCpuPercentLoadCpus", "% of a core"),
            Map.entry("overheadMillis", "ms"),
            Map.entry("latenessP50Millis", "ms"),
            Map.entry("latenessP99Millis", "ms"),
            Map.entry("latenessMaxMillis", "ms"),
            Map.entry("heapBytesPerTask", "B/task"));

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path dir;
    private final ArrayNode results = JSON.createArrayNode();
    private final ArrayNode latencyIndex = JSON.createArrayNode();
    private final ArrayNode memory = JSON.createArrayNode();

    private ResultsFolder(Path dir) {
        this.dir = dir;
    }

    /** Creates the folder; it must not hold results already (a run never mixes with another). */
    public static ResultsFolder create(Path dir) throws IOException {
        if (Files.exists(dir.resolve(JMH_RESULT)) || Files.exists(dir.resolve(METADATA))) {
            throw new IOException(dir + " already holds the results of a run; choose another --out");
        }
        Files.createDirectories(dir.resolve(LATENCY));
        Files.createDirectories(dir.resolve(LOGS));
        Files.createDirectories(dir.resolve(CONNECTIONS));
        return new ResultsFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path logs() {
        return dir.resolve(LOGS);
    }

    /** Where the JMH forks write each benchmark's per-connection completions. */
    public Path connections() {
        return dir.resolve(CONNECTIONS);
    }

    /** Where the JMH forks write what {@code --explain} recorded (created by the first that does). */
    public Path explain() {
        return dir.resolve(EXPLAIN);
    }

    /** Number of JMH result rows so far. */
    public int resultCount() {
        return results.size();
    }

    /**
     * Appends the rows of one JMH JSON result file (with our secondary metrics restored to real
     * statistics) and rewrites jmh-result.json.
     *
     * @return the rows added
     */
    public List<JsonNode> addJmhResults(Path jmhJson) throws IOException {
        String text = Files.readString(jmhJson);
        List<JsonNode> added = new ArrayList<>();
        if (text.isBlank()) {
            return added;
        }
        JsonNode rows = JSON.readTree(text);
        for (JsonNode row : rows) {
            fixOwnMetrics((ObjectNode) row);
            results.add(row);
            added.add(row);
        }
        writeAtomically(dir.resolve(JMH_RESULT), JSON.writeValueAsString(results));
        return added;
    }

    /** Appends one row made here in JMH's format ({@code merge}'s) and rewrites jmh-result.json. */
    public void addRow(ObjectNode row) throws IOException {
        results.add(row);
        writeAtomically(dir.resolve(JMH_RESULT), JSON.writeValueAsString(results));
    }

    /**
     * Records a strategy's memory step in memory.json and, when its http throughput result exists,
     * beside it in jmh-result.json as {@code serverRssBytesPerConnection} and
     * {@code serverLiveHeapBytesPerConnection} (one value each, no error bar: one measurement).
     */
    public void addMemory(io.asyncbench.bench.MemoryStep.Result m, JsonNode row) throws IOException {
        ObjectNode entry = memory.addObject();
        entry.put("strategy", m.strategy());
        entry.put("workload", "http");
        entry.put("connectionsLow", m.low());
        entry.put("connectionsHigh", m.high());
        entry.put("rssBytesLow", m.rssLow());
        entry.put("rssBytesHigh", m.rssHigh());
        entry.put("liveHeapBytesLow", m.liveHeapLow());
        entry.put("liveHeapBytesHigh", m.liveHeapHigh());
        entry.put("rssBytesPerConnection", m.rssBytesPerConnection());
        entry.put("liveHeapBytesPerConnection", m.liveHeapBytesPerConnection());
        entry.put("bytesPerConnection", m.bytesPerConnection());
        entry.put("millis", m.millis());
        writeAtomically(dir.resolve(MEMORY), JSON.writeValueAsString(memory));
        if (row instanceof ObjectNode r && r.get("secondaryMetrics") instanceof ObjectNode secondary) {
            secondary.set("serverRssBytesPerConnection", single(m.rssBytesPerConnection(), "B/connection"));
            secondary.set("serverLiveHeapBytesPerConnection", single(m.liveHeapBytesPerConnection(), "B/connection"));
            writeAtomically(dir.resolve(JMH_RESULT), JSON.writeValueAsString(results));
        }
    }

    /** A secondary metric of one measurement, shaped like JMH's. */
    private static ObjectNode single(double value, String unit) {
        ObjectNode m = JSON.createObjectNode();
        m.put("score", value);
        m.put("scoreError", Double.NaN);
        m.set("scoreConfidence", JSON.createArrayNode().add(value).add(value));
        m.put("scoreUnit", unit);
        m.set("rawData", JSON.createArrayNode().add(JSON.createArrayNode().add(value)));
        m.put("source", "memory step: slope between idle connection counts, see memory.json");
        return m;
    }

    /**
     * Our EVENTS counters come out of JMH as sums of per-iteration shares with no error; this
     * turns each back into per-iteration values with JMH's own statistics (mean, 99.9 %
     * confidence interval, percentiles) and a real unit.
     */
    static void fixOwnMetrics(ObjectNode row) {
        JsonNode secondary = row.get("secondaryMetrics");
        if (secondary == null || !secondary.isObject()) {
            return;
        }
        int iterations = row.path("measurementIterations").asInt(1);
        for (Map.Entry<String, String> metric : OWN_METRICS.entrySet()) {
            JsonNode node = secondary.get(metric.getKey());
            if (node == null || !node.isObject()) {
                continue;
            }
            ObjectNode m = (ObjectNode) node;
            JsonNode raw = m.get("rawData");
            if (raw == null || !raw.isArray() || raw.isEmpty()) {
                continue;
            }
            int forks = raw.size();
            double scale = iterations * (double) forks;
            ListStatistics stats = new ListStatistics();
            ArrayNode newRaw = JSON.createArrayNode();
            for (JsonNode fork : raw) {
                ArrayNode values = JSON.createArrayNode();
                for (JsonNode v : fork) {
                    double value = v.isNumber() ? v.asDouble() * scale : Double.NaN;
                    values.add(value);
                    if (!Double.isNaN(value)) {
                        stats.addValue(value);
                    }
                }
                newRaw.add(values);
            }
            if (stats.getN() == 0) {
                // not measured in this case (an external target; no backends): absent rather
                // than NaN
                ((ObjectNode) secondary).remove(metric.getKey());
                continue;
            }
            m.set("rawData", newRaw);
            m.put("scoreUnit", metric.getValue());
            double mean = stats.getMean();
            double error = stats.getN() > 1 ? stats.getMeanErrorAt(0.999) : Double.NaN;
            m.put("score", mean);
            m.put("scoreError", error);
            ArrayNode confidence = JSON.createArrayNode();
            if (Double.isNaN(error)) {
                confidence.add(mean).add(mean);
            } else {
                confidence.add(mean - error).add(mean + error);
            }
            m.set("scoreConfidence", confidence);
            ObjectNode percentiles = JSON.createObjectNode();
            for (String p : List.of("0.0", "50.0", "90.0", "95.0", "99.0", "99.9", "99.99", "99.999",
                    "99.9999", "100.0")) {
                percentiles.put(p, stats.getPercentile(Math.max(Double.MIN_VALUE, Double.parseDouble(p))));
            }
            m.set("scorePercentiles", percentiles);
        }
    }

    /**
     * Writes one open-loop histogram as {@code latency/<name>.hgrm} (microseconds) and lists it in
     * latency/index.json.
     */
    public void addLatency(String workload, String strategy, Map<String, String> params,
                           double intendedRate, double fractionOfPeak, Histogram nanos,
                           Map<String, Object> extra) throws IOException {
        addLatency(workload, strategy, params, intendedRate, (Double) fractionOfPeak, nanos, null, extra);
    }

    /**
     * Writes one open-loop run: its latency histogram as {@code latency/<name>.hgrm} and, if given,
     * its send lags as {@code latency/<name>.sendlag.hgrm} (both in microseconds), and lists it in
     * latency/index.json with {@code extra}'s fields. A run of the common ladder
     * ({@code extra.ladder = "common"}) has no fraction of its own peak (null) and "common" in its
     * file name, so it never overwrites the own-peak run at the same rate.
     */
    public void addLatency(String workload, String strategy, Map<String, String> params,
                           double intendedRate, Double fractionOfPeak, Histogram nanos, Histogram sendLags,
                           Map<String, Object> extra) throws IOException {
        Object ladder = extra.get("ladder");
        String base = workload + "__" + strategy + "__"
                + params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("_"))
                + (ladder != null ? "__" + ladder : "")
                + "__rate=" + Math.round(intendedRate);
        base = base.replaceAll("[^A-Za-z0-9_.=-]", "-");
        Path file = dir.resolve(LATENCY).resolve(base + ".hgrm");
        writeHistogram(file, nanos);
        ObjectNode entry = JSON.createObjectNode();
        entry.put("file", file.getFileName().toString());
        entry.put("workload", workload);
        entry.put("strategy", strategy);
        ObjectNode p = entry.putObject("params");
        p.put("strategy", strategy);
        params.forEach(p::put);
        entry.put("intendedRatePerSecond", intendedRate);
        if (fractionOfPeak != null) {
            entry.put("fractionOfPeak", fractionOfPeak);
        }
        extra.forEach((k, v) -> entry.set(k, JSON.valueToTree(v)));
        if (sendLags != null) {
            Path lagFile = dir.resolve(LATENCY).resolve(base + ".sendlag.hgrm");
            writeHistogram(lagFile, sendLags);
            JsonNode lag = entry.get("sendLag");
            ObjectNode lagNode = lag instanceof ObjectNode o ? o : entry.putObject("sendLag");
            lagNode.put("file", lagFile.getFileName().toString());
        }
        latencyIndex.add(entry);
        writeAtomically(dir.resolve(LATENCY).resolve(LATENCY_INDEX), JSON.writeValueAsString(latencyIndex));
    }

    private static void writeHistogram(Path file, Histogram nanos) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            nanos.outputPercentileDistribution(out, 1000.0);
        }
    }

    public int latencyCount() {
        return latencyIndex.size();
    }

    /** Rewrites metadata.json. */
    public void writeMetadata(Map<String, Object> metadata) throws IOException {
        writeAtomically(dir.resolve(METADATA), JSON.writeValueAsString(metadata));
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, text.endsWith("\n") ? text : text + "\n");
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A folder name for a new run: {@code 2026-11-25T19-00-00Z-quick}. */
    public static String defaultName(java.time.Instant startedAt, Profile profile) {
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC).format(startedAt);
        return time + "-" + profile.id();
    }

}
