package io.asyncbench.reports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What an open-loop run recorded beside its latency histogram (latency/index.json): which ladder it
 * belongs to, whether it kept up with its rate (the bench's {@code Sustain} rule, with its figures),
 * and the server CPU per request at that rate. Every field is null in results that predate it.
 *
 * @param ladder                 "common" (the same absolute rate for every strategy) or "ownPeak"
 *                               (a fraction of the strategy's own peak); null in older results
 * @param fractionOfSlowestPeak  common ladder: the rate as a fraction of the slowest strategy's peak
 * @param slowestStrategy        common ladder: that strategy
 * @param sustained              whether the run kept up with its rate; null when not judged
 * @param fellBehind             why it did not, one phrase each
 * @param sentRate               requests intended in the window that left within it, per second
 * @param completedRate          their replies that came back by the window's end plus its grace, per second
 * @param sendLagP50Micros       median of how late requests left against their intended time, µs
 * @param sendLagP99Micros       its 99th percentile, µs
 * @param overran                whether the last reply came after the window's grace
 * @param serverCpuNanosPerOp    server CPU time per request over the window, ns
 * @param serverCpuNanosPerOpError half-width of its confidence interval over the sub-windows, ns
 * @param serverCpuConfidencePercent that interval's confidence
 * @param loadGeneratorCpuPercent the load generator's client threads' CPU, percent of one core
 * @param backendCpuPercent      the backends' CPU (gateway), percent of their one core
 */
record OpenLoopFigures(String ladder, Double fractionOfSlowestPeak, String slowestStrategy, Boolean sustained,
                       List<String> fellBehind, Double sentRate, Double completedRate, Double sendLagP50Micros,
                       Double sendLagP99Micros, Boolean overran, Double serverCpuNanosPerOp,
                       Double serverCpuNanosPerOpError, Double serverCpuConfidencePercent,
                       Double loadGeneratorCpuPercent, Double backendCpuPercent) {

    static final OpenLoopFigures NONE = new OpenLoopFigures(null, null, null, null, List.of(), null, null, null, null,
            null, null, null, null, null, null);

    OpenLoopFigures {
        fellBehind = fellBehind == null ? List.of() : List.copyOf(fellBehind);
    }

    /** A run of the common ladder: its rate is the same for every strategy. */
    boolean common() {
        return "common".equals(ladder);
    }

    /** True only when the run was judged and did not keep up. */
    boolean couldNotSustain() {
        return Boolean.FALSE.equals(sustained);
    }

    /** Reads the figures of one latency/index.json entry; absent or malformed fields are null. */
    static OpenLoopFigures of(JsonNode e) {
        List<String> reasons = new ArrayList<>();
        JsonNode r = e.get("fellBehind");
        if (r != null && r.isArray()) {
            r.forEach(x -> reasons.add(x.asText()));
        }
        JsonNode lag = e.path("sendLag");
        return new OpenLoopFigures(text(e.get("ladder")), number(e.get("fractionOfSlowestPeak")),
                text(e.get("slowestStrategy")), bool(e.get("sustained")), reasons, number(e.get("sentRatePerSecond")),
                number(e.get("completedRatePerSecond")), number(lag.get("p50Micros")), number(lag.get("p99Micros")),
                bool(e.get("overran")), number(e.get("serverCpuNanosPerOp")), number(e.get("serverCpuNanosPerOpError")),
                number(e.get("serverCpuConfidencePercent")), number(e.get("loadGeneratorCpuPercent")),
                number(e.get("backendCpuPercent")));
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static Boolean bool(JsonNode n) {
        return n != null && n.isBoolean() ? n.asBoolean() : null;
    }

    /** A finite number, or null (the bench writes NaN as the string "NaN"). */
    private static Double number(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return null;
        }
        double v = n.asDouble();
        return Double.isFinite(v) ? v : null;
    }
}
