package io.asyncbench.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.asyncbench.api.Strategy;
import io.asyncbench.harness.ServerStats;
import io.asyncbench.harness.cli.StrategyCatalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.openjdk.jmh.util.ListStatistics;

/**
 * Writes a {@link LoadMerge} as a results folder that {@code report} reads like a run's: one
 * throughput row in JMH's format (each sub-window one sample, so error bars are JMH's own 99.9 %
 * intervals), the open loop's latency beside it, and metadata naming the server and every load
 * host with its round trip.
 */
public final class MergedResults {

    private static final String CONFIDENCE = "99.9";

    private MergedResults() {
    }

    /**
     * Creates {@code out} (which must not hold results) and writes {@code merges} into it, one
     * row each.
     *
     * @param sources the load folders merged, recorded in metadata.json
     */
    public static ResultsFolder write(List<LoadMerge> merges, Path out, List<Path> sources) throws IOException {
        ResultsFolder folder = ResultsFolder.create(out);
        for (LoadMerge merge : merges) {
            folder.addRow(row(merge));
            if (merge.openLoopRate() != null) {
                addLatency(folder, merge);
            }
        }
        folder.writeMetadata(metadata(merges, sources));
        return folder;
    }

    private static void addLatency(ResultsFolder folder, LoadMerge merge) throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("ladder", "common");
        double completed = statistics(merge.opsPerSecond()).getMean();
        extra.put("completedRatePerSecond", completed);
        extra.put("achievedRatePerSecond", completed);
        extra.put("requests", merge.operations());
        extra.put("loadGeneratorCpuPercent", merge.loadCpuPercent());
        if (!merge.serverCpuNanosPerOp().isEmpty()) {
            ListStatistics cpu = statistics(merge.serverCpuNanosPerOp());
            extra.put("serverCpuNanosPerOp", cpu.getMean());
            extra.put("serverCpuNanosPerOpError", cpu.getN() > 1 ? cpu.getMeanErrorAt(0.999) : null);
            extra.put("serverCpuConfidencePercent", 99.9);
        }
        extra.put("loadHosts", merge.hosts().size());
        folder.addLatency(merge.workload(), merge.strategy(), merge.params(), merge.openLoopRate(), null,
                merge.latency(), null, extra);
    }

    private static ObjectNode row(LoadMerge merge) {
        ObjectNode row = ResultsFolder.JSON.createObjectNode();
        row.put("jmhVersion", "merged by asyncbench");
        row.put("benchmark", "io.asyncbench.bench." + capitalized(merge.workload()) + "Benchmark.throughput");
        row.put("mode", "thrpt");
        row.put("threads", merge.hosts().stream().mapToInt(h -> Integer.parseInt(h.settings().getOrDefault("threads", "1"))).sum());
        row.put("forks", 1);
        row.put("warmupIterations", 0);
        row.put("measurementIterations", merge.opsPerSecond().size());
        row.put("measurementTime", "1 s");
        ObjectNode params = row.putObject("params");
        params.put("strategy", merge.strategy());
        merge.params().forEach(params::put);
        row.set("primaryMetric", metric(merge.opsPerSecond(), "ops/s"));
        ObjectNode secondary = row.putObject("secondaryMetrics");
        if (!merge.serverCpuNanosPerOp().isEmpty()) {
            secondary.set("serverCpuNanosPerOp", metric(merge.serverCpuNanosPerOp(), "ns/op"));
            secondary.set("serverAllocBytesPerOp", metric(merge.serverAllocBytesPerOp(), "B/op"));
            secondary.set("serverCpuPercent", metric(merge.serverCpuPercent(), "%"));
        }
        secondary.set("loadGeneratorCpuPercent", metric(List.of(merge.loadCpuPercent()), "%"));
        secondary.set("serverErrors", metric(List.of(0.0), "#"));
        return row;
    }

    /** JMH's shape of a metric: mean, 99.9 % error and interval, and the samples as one fork's. */
    private static ObjectNode metric(List<Double> samples, String unit) {
        ListStatistics stats = statistics(samples);
        ObjectNode m = ResultsFolder.JSON.createObjectNode();
        m.put("score", stats.getMean());
        double error = stats.getN() > 1 ? stats.getMeanErrorAt(0.999) : Double.NaN;
        m.put("scoreError", error);
        ArrayNode interval = m.putArray("scoreConfidence");
        interval.add(Double.isNaN(error) ? stats.getMean() : stats.getMean() - error);
        interval.add(Double.isNaN(error) ? stats.getMean() : stats.getMean() + error);
        m.put("scoreUnit", unit);
        ArrayNode fork = m.putArray("rawData").addArray();
        samples.forEach(fork::add);
        return m;
    }

    private static Map<String, Object> metadata(List<LoadMerge> merges, List<Path> sources) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("tool", "asyncbench");
        meta.put("version", RunMetadata.version());
        meta.put("profile", "merged");
        meta.put("startedAt", merges.stream().map(LoadMerge::started).min(Instant::compareTo).orElseThrow().toString());
        meta.put("finishedAt", merges.stream().map(LoadMerge::ended).max(Instant::compareTo).orElseThrow().toString());
        meta.put("gitCommit", RunMetadata.gitCommit());
        String statsLine = merges.stream().flatMap(m -> m.hosts().stream()).flatMap(h -> h.boundaries().stream())
                .map(LoadHostResult.Boundary::serverStats).filter(line -> line != null).findFirst().orElse(null);
        Map<String, String> host = statsLine == null ? Map.of() : ServerStats.facts(statsLine, "host");
        Map<String, Object> jdk = new LinkedHashMap<>();
        jdk.put("vmName", host.getOrDefault("jvm", "not known (no load read the server's stats)"));
        meta.put("jdk", jdk);
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("name", host.getOrDefault("os", "not known"));
        meta.put("os", os);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("model", "the server host's (not recorded)");
        if (host.containsKey("cpus")) {
            cpu.put("cores", Integer.parseInt(host.get("cpus")));
        }
        meta.put("cpu", cpu);
        Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("server", "host " + host.getOrDefault("hostName", "not known") + ", measured from other hosts");
        placement.put("loadGenerator", merges.stream().flatMap(m -> m.hosts().stream()).map(LoadHostResult::host)
                .distinct().collect(Collectors.joining(", ")));
        placement.put("note", "load hosts driving the server at the same time, merged by 'asyncbench merge'");
        meta.put("placement", placement);
        meta.put("parameters", parameters(merges, statsLine, sources));
        List<Map<String, Object>> strategies = new ArrayList<>();
        for (String id : merges.stream().map(LoadMerge::strategy).distinct().toList()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", id);
            entry.put("available", true);
            entry.put("kind", Plan.StrategyInfo.JVM);
            Strategy known = known(id);
            if (known != null) {
                entry.put("description", known.description());
                entry.put("facts", RunMetadata.facts(known.facts()));
            }
            strategies.add(entry);
        }
        meta.put("strategies", strategies);
        meta.put("failures", List.of());
        return meta;
    }

    private static Map<String, Object> parameters(List<LoadMerge> merges, String statsLine, List<Path> sources) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (LoadMerge merge : merges) {
            String row = merge.strategy() + " " + merge.workload() + " over " + merge.params().get("network");
            p.put("loadHosts of " + row, merge.hosts().size() + ": " + merge.hosts().stream()
                    .map(h -> h.host() + " (" + h.settings().get("connections") + " connections, "
                            + h.settings().get("threads") + " threads)").collect(Collectors.joining(", ")));
            p.put("roundTrip of " + row, merge.hosts().stream().map(h -> h.host() + " to " + h.target() + ": "
                            + (h.roundTrip() == null ? "not measured" : String.format(Locale.ROOT,
                            "median %.0f µs, least %.0f µs over %d TCP connects", h.roundTrip().medianMicros(),
                            h.roundTrip().minMicros(), h.roundTrip().samples())))
                    .collect(Collectors.joining("; ")));
            p.put("windowSkewMillis of " + row, String.format(Locale.ROOT, "%.1f", merge.skew().toNanos() / 1e6));
            p.put("subWindows of " + row, merge.opsPerSecond().size() + " of about 1 s, each one sample of the "
                    + "error bars");
            p.put("traffic of " + row, merge.hosts().get(0).traffic());
        }
        p.put("mergedFrom", sources.stream().map(Path::toString).collect(Collectors.joining(", ")));
        if (statsLine != null) {
            p.put("targetServer", "remote, measured through its stats port by the load hosts");
            p.put("targetServerHost", ServerStats.describeFacts(statsLine, "host"));
            p.put("targetServerEngine", ServerStats.describeFacts(statsLine, "engine"));
        } else {
            p.put("targetServer", "remote, no server figures (no load read its stats)");
        }
        return p;
    }

    private static Strategy known(String id) {
        try {
            return StrategyCatalog.byId(id);
        } catch (RuntimeException unknown) {
            return null;
        }
    }

    private static ListStatistics statistics(List<Double> samples) {
        ListStatistics stats = new ListStatistics();
        samples.forEach(stats::addValue);
        return stats;
    }

    private static String capitalized(String id) {
        return id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1);
    }
}
