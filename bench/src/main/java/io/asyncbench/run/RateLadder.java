package io.asyncbench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The common open-loop ladder of one benchmark setting: the same absolute request rates for every
 * strategy, as fractions of the <em>slowest</em> strategy's closed-loop peak in this run. Every
 * strategy can then be compared at loads each of them was measured at, and the slowest one's own
 * limit shows where the ladder stops. (Fractions of each strategy's own peak, the second view, compare
 * equally hard loads instead, at different rates.)
 *
 * @param slowestStrategy   the strategy with the lowest measured peak
 * @param slowestPeak       its peak, operations per second
 * @param fractions         the fractions of that peak, lightest first
 * @param rates             the rates, requests per second, in the order of {@code fractions}
 */
public record RateLadder(String slowestStrategy, double slowestPeak, List<Double> fractions, List<Double> rates) {

    public RateLadder {
        fractions = List.copyOf(fractions);
        rates = List.copyOf(rates);
    }

    /**
     * The ladder for these measured peaks (strategy to operations per second; failed or missing
     * peaks are left out by the caller, and non-positive or non-finite ones are ignored here).
     *
     * @return null when no strategy has a usable peak
     */
    public static RateLadder of(Map<String, Double> peaks, List<Double> fractions) {
        for (double f : fractions) {
            if (!(f > 0) || f > 1) {
                throw new IllegalArgumentException("a ladder fraction must be in (0, 1]: " + f);
            }
        }
        String slowest = null;
        double min = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Double> e : peaks.entrySet()) {
            Double peak = e.getValue();
            if (peak != null && peak > 0 && Double.isFinite(peak) && peak < min) {
                min = peak;
                slowest = e.getKey();
            }
        }
        if (slowest == null) {
            return null;
        }
        List<Double> sorted = fractions.stream().sorted().toList();
        List<Double> rates = new ArrayList<>();
        for (double f : sorted) {
            // whole requests per second, at least one: the rate is a label in the report too
            rates.add((double) Math.max(1, Math.round(min * f)));
        }
        return new RateLadder(slowest, min, sorted, rates);
    }
}
