package io.asyncbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How many results were measured on a busy machine: while processes other than the benchmark's
 * took more than {@value #THRESHOLD_PERCENT} % of a core on its server CPUs or on its load CPUs
 * ({@code otherCpuPercentServerCpus}, {@code otherCpuPercentLoadCpus}: the bench's OtherProcesses,
 * beside each JMH result and in latency/index.json beside each open-loop recording).
 *
 * @param busy               JMH results above the threshold
 * @param measured           JMH results that carry the figure
 * @param busyRecordings     open-loop recordings above the threshold
 * @param measuredRecordings open-loop recordings that carry the figure
 * @param examples a few of the busy ones, named
 * @param worst    the most any result saw others take, in percent of one core (NaN: none measured)
 */
record BusyMachine(int busy, int measured, int busyRecordings, int measuredRecordings, List<String> examples,
                   double worst) {

    static final double THRESHOLD_PERCENT = 5.0;
    private static final int MAX_EXAMPLES = 4;

    static BusyMachine of(Results results) {
        Counter c = new Counter();
        for (BenchmarkResult r : results.benchmarks()) {
            c.add(r.strategy() + " " + r.workload() + " " + r.method() + (r.params().isEmpty() ? "" : " [" + Params.label(r.params()) + "]"),
                    score(r.secondaryNamed("otherCpuPercentServerCpus")), score(r.secondaryNamed("otherCpuPercentLoadCpus")));
        }
        int busyResults = c.busy;
        int measuredResults = c.measured;
        for (JsonNode run : latencyIndex(results.dir())) {
            c.add(run.path("strategy").asText() + " " + run.path("workload").asText() + " open loop at "
                            + Fmt.num(run.path("intendedRatePerSecond").asDouble()) + "/s",
                    run.path("otherCpuPercentServerCpus").asDouble(Double.NaN),
                    run.path("otherCpuPercentLoadCpus").asDouble(Double.NaN));
        }
        return new BusyMachine(busyResults, measuredResults, c.busy - busyResults, c.measured - measuredResults,
                List.copyOf(c.examples), c.worst);
    }

    /** True when any result or recording was measured on a busy machine. */
    boolean any() {
        return busy + busyRecordings > 0;
    }

    /** One line for the top of the report: "2 of 40 results measured on a busy machine". */
    String summary() {
        if (measured + measuredRecordings == 0) {
            return "busy machine: not measured";
        }
        String results = busy + " of " + measured + (measured == 1 ? " result" : " results");
        String recordings = busyRecordings + " of " + measuredRecordings
                + (measuredRecordings == 1 ? " latency recording" : " latency recordings");
        return (measured == 0 ? recordings : measuredRecordings == 0 ? results : results + " and " + recordings)
                + " measured on a busy machine";
    }

    /** The warning that names the busy results. */
    String warning() {
        int named = busy + busyRecordings;
        return capital(summary()) + ": processes other than the benchmark's took more than "
                + Fmt.num(THRESHOLD_PERCENT).replace(".00", "") + " % of a core on its CPUs (up to " + Fmt.num(worst)
                + " %), so those figures are slower or noisier than the strategy is: " + String.join("; ", examples)
                + (named > examples.size() ? "; and " + (named - examples.size()) + " more" : "")
                + ". Measure again on a quiet machine.";
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static double score(Metric m) {
        return m == null ? Double.NaN : m.score();
    }

    private static List<JsonNode> latencyIndex(Path dir) {
        Path index = dir.resolve(ResultsReader.LATENCY_DIR).resolve(ResultsReader.LATENCY_INDEX);
        List<JsonNode> runs = new ArrayList<>();
        try {
            if (Files.isRegularFile(index)) {
                JsonMapper.builder().build().readTree(index.toFile()).forEach(runs::add);
            }
        } catch (IOException unreadable) {
            // the reader reports a broken index; here it only means no open-loop figure
        }
        return runs;
    }

    private static final class Counter {
        int busy;
        int measured;
        double worst = Double.NaN;
        final List<String> examples = new ArrayList<>();

        void add(String what, double server, double load) {
            if (!Double.isFinite(server) && !Double.isFinite(load)) {
                return;
            }
            measured++;
            double most = Math.max(Double.isFinite(server) ? server : 0, Double.isFinite(load) ? load : 0);
            worst = Double.isNaN(worst) ? most : Math.max(worst, most);
            if (most > THRESHOLD_PERCENT) {
                busy++;
                if (examples.size() < MAX_EXAMPLES) {
                    examples.add(what + " (others: " + Fmt.num(most) + " % of a core)");
                }
            }
        }
    }
}
