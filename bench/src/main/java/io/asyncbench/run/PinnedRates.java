package io.asyncbench.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The common open-loop ladders of an earlier run ({@code run --rates-from DIR}), so that this run
 * drives every benchmark setting at exactly the same request rates. A run's own ladder is a
 * fraction of its slowest strategy's peak, which moves from run to run by as much as the peaks do
 * (two quiet quick runs: 22 % and 46 %); comparing two runs at equal load ({@code report --baseline})
 * needs equal rates, not equal fractions.
 *
 * <p>Read from the earlier run's {@code latency/index.json}: for each setting (workload and
 * parameters, the strategy left out), the rates of its runs with {@code "ladder":"common"}.
 */
public final class PinnedRates {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path source;
    private final Map<String, RateLadder> ladders;

    private PinnedRates(Path source, Map<String, RateLadder> ladders) {
        this.source = source;
        this.ladders = ladders;
    }

    /** The results folder the rates come from. */
    public Path source() {
        return source;
    }

    /** Settings with a pinned ladder, as {@link #key} makes them. */
    public int settings() {
        return ladders.size();
    }

    /**
     * Reads the common ladders of a results folder.
     *
     * @throws IllegalArgumentException with a message for the user: not a results folder, no
     *                                  open-loop runs, or an index that does not parse
     */
    public static PinnedRates read(Path resultsDir) throws IOException {
        Path index = resultsDir.resolve("latency").resolve("index.json");
        JsonNode runs;
        try {
            runs = JSON.readTree(Files.readString(index));
        } catch (NoSuchFileException missing) {
            throw new IllegalArgumentException(resultsDir + " has no latency/index.json: not the results "
                    + "folder of a run with open-loop latency");
        } catch (JsonProcessingException bad) {
            throw new IllegalArgumentException(index + " is not valid JSON: " + bad.getOriginalMessage());
        }
        if (runs == null || !runs.isArray()) {
            throw new IllegalArgumentException(index + " must hold a JSON array of open-loop runs");
        }
        Map<String, TreeMap<Double, double[]>> steps = new LinkedHashMap<>();
        Map<String, JsonNode> firstOf = new LinkedHashMap<>();
        for (JsonNode run : runs) {
            if (!"common".equals(run.path("ladder").asText())) {
                continue;
            }
            JsonNode workload = run.get("workload");
            JsonNode params = run.get("params");
            JsonNode fraction = run.get("fractionOfSlowestPeak");
            JsonNode rate = run.get("intendedRatePerSecond");
            if (workload == null || !workload.isTextual() || params == null || !params.isObject()
                    || fraction == null || !fraction.isNumber() || rate == null || !rate.isNumber()
                    || !(rate.asDouble() > 0) || !(fraction.asDouble() > 0)) {
                throw new IllegalArgumentException(index + ": a common-ladder run lacks its workload, params, "
                        + "fractionOfSlowestPeak or a positive intendedRatePerSecond: " + run);
            }
            Map<String, String> p = new LinkedHashMap<>();
            params.fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
            String key = key(workload.asText(), p);
            double[] known = steps.computeIfAbsent(key, k -> new TreeMap<>())
                    .putIfAbsent(fraction.asDouble(), new double[] {rate.asDouble()});
            if (known != null && Math.abs(known[0] - rate.asDouble()) > 0.5) {
                throw new IllegalArgumentException(index + ": " + key + " has two rates at step "
                        + fraction.asDouble() + ": " + known[0] + " and " + rate.asDouble());
            }
            firstOf.putIfAbsent(key, run);
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(index + " has no runs of the common ladder to take rates from");
        }
        Map<String, RateLadder> ladders = new LinkedHashMap<>();
        steps.forEach((key, byFraction) -> {
            JsonNode first = firstOf.get(key);
            List<Double> rates = new ArrayList<>();
            byFraction.values().forEach(r -> rates.add(r[0]));
            ladders.put(key, new RateLadder(first.path("slowestStrategy").asText("?"),
                    first.path("slowestPeakPerSecond").asDouble(Double.NaN), List.copyOf(byFraction.keySet()), rates));
        });
        return new PinnedRates(resultsDir, ladders);
    }

    /** The earlier run's ladder for this setting, or null when it did not run it. */
    public RateLadder ladder(String workload, Map<String, String> params) {
        return ladders.get(key(workload, params));
    }

    /** A setting: its workload and parameters, sorted, the strategy left out. */
    static String key(String workload, Map<String, String> params) {
        Map<String, String> sorted = new TreeMap<>(params);
        sorted.remove("strategy");
        return workload + " " + sorted;
    }
}
