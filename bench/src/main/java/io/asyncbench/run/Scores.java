package io.asyncbench.run;

import com.fasterxml.jackson.databind.JsonNode;

/** One line per JMH result for the console: the score, its error, and the costs beside it. */
final class Scores {

    static String summary(JsonNode row) {
        JsonNode primary = row.path("primaryMetric");
        String mode = row.path("mode").asText();
        JsonNode secondary = row.path("secondaryMetrics");
        StringBuilder line = new StringBuilder();
        if (mode.equals("sample")) {
            JsonNode p = primary.path("scorePercentiles");
            String unit = primary.path("scoreUnit").asText();
            line.append(String.format("p50 %s, p99 %s, p99.9 %s %s", number(p.path("50.0").asDouble()),
                    number(p.path("99.0").asDouble()), number(p.path("99.9").asDouble()),
                    unit.replace("/op", "").replace("us", "µs")));
        } else {
            double score = primary.path("score").asDouble();
            double error = primary.path("scoreError").asDouble(Double.NaN);
            line.append(number(score)).append(' ').append(primary.path("scoreUnit").asText());
            if (Double.isFinite(error) && score != 0) {
                line.append(String.format(" ±%.1f %%", 100 * error / Math.abs(score)));
            }
        }
        double cpu = metric(secondary, "serverCpuNanosPerOp");
        if (Double.isFinite(cpu)) {
            line.append(String.format("; server %s µs CPU/op, %s B/op, %s %% CPU", number(cpu / 1000),
                    number(metric(secondary, "serverAllocBytesPerOp")),
                    number(metric(secondary, "serverCpuPercent"))));
        }
        double overhead = metric(secondary, "overheadMillis");
        if (Double.isFinite(overhead)) {
            line.append(String.format("; overhead %s ms, lateness p99 %s ms, %s B/task", number(overhead),
                    number(metric(secondary, "latenessP99Millis")), number(metric(secondary, "heapBytesPerTask"))));
        }
        double load = metric(secondary, "loadGeneratorCpuPercent");
        if (Double.isFinite(load)) {
            line.append(String.format("; load generator %s %% CPU", number(load)));
        }
        double backends = metric(secondary, "backendCpuPercent");
        if (Double.isFinite(backends)) {
            line.append(String.format("; backends %s %% CPU", number(backends)));
        }
        return line.toString();
    }

    /**
     * The warning for a result measured while other processes took more than
     * {@value io.asyncbench.harness.OtherProcesses#BUSY_PERCENT} % of a core on its CPUs, or null.
     */
    static String busyMachine(double serverCpus, double loadCpus) {
        if (!new io.asyncbench.harness.OtherProcesses.Share(serverCpus, loadCpus).busy()) {
            return null;
        }
        return String.format("other processes took %s %% of a core on the server's CPUs and %s %% on the load"
                + " generator's (more than %s %%): this result is not comparable", number(serverCpus), number(loadCpus),
                String.format("%.0f", io.asyncbench.harness.OtherProcesses.BUSY_PERCENT));
    }

    static double metric(JsonNode secondary, String name) {
        JsonNode m = secondary.path(name).path("score");
        return m.isNumber() ? m.asDouble() : Double.NaN;
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return a >= 100 ? String.format("%,.0f", v) : a >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }

    private Scores() {
    }
}
