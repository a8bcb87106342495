package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server CPU time per operation, the cost beside the lead: who is cheapest, and the verdict's sentence
 * about it. Computed from the numbers, like {@link Verdicts}.
 */
final class CpuVerdict {

    private CpuVerdict() {
    }

    /**
     * Who costs the server the least CPU per operation in one benchmark: the strategy cheapest in the
     * most settings (ties broken by the lower median), how often, in how many of those its interval
     * clears the next one's (of {@code judged}, those where both had an interval), and each strategy's
     * median CPU time per operation in ns.
     */
    record Cheapest(String strategy, int wins, int settings, long significant, long judged,
                    Map<String, Double> medianNanos) {
    }

    /** Null when no setting has the figure for two strategies. */
    static Cheapest of(Analysis.Benchmark b) {
        Secondary cpu = Secondary.SERVER_CPU_PER_OP;
        Map<String, Integer> wins = new LinkedHashMap<>();
        Map<String, Integer> significant = new LinkedHashMap<>();
        Map<String, Integer> judged = new LinkedHashMap<>();
        Map<String, List<Double>> nanos = new LinkedHashMap<>();
        int settings = 0;
        for (Comparison c : b.comparisons()) {
            List<Comparison.Row> rows = c.rows().stream().filter(r -> cpu.of(r.result()) != null)
                    .sorted(Comparator.comparingDouble(r -> cpu.of(r.result()).score())).toList();
            rows.forEach(r -> nanos.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(cpu.of(r.result()).score()));
            if (rows.size() < 2) {
                continue;
            }
            settings++;
            String least = rows.get(0).strategy();
            wins.merge(least, 1, Integer::sum);
            Metric first = cpu.of(rows.get(0).result());
            Metric second = cpu.of(rows.get(1).result());
            if (first.hasError() && second.hasError()) {
                judged.merge(least, 1, Integer::sum);
                if (first.differsFrom(second)) {
                    significant.merge(least, 1, Integer::sum);
                }
            }
        }
        if (settings == 0) {
            return null;
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        nanos.forEach((k, v) -> medians.put(k, Verdicts.median(v.stream().mapToDouble(Double::doubleValue).sorted().toArray())));
        String cheapest = wins.keySet().stream()
                .max(Comparator.comparingInt((String s) -> wins.get(s)).thenComparingDouble(s -> -medians.get(s)))
                .orElseThrow();
        return new Cheapest(cheapest, wins.get(cheapest), settings, significant.getOrDefault(cheapest, 0),
                judged.getOrDefault(cheapest, 0), medians);
    }

    /**
     * Server CPU per operation beside the lead: on a small machine the load generator saturates first,
     * and the strategy that needs the least CPU is then the one a bigger machine would favour.
     */
    static Sentence sentence(Analysis.Benchmark b, String leader, String what) {
        Cheapest c = of(b);
        if (c == null) {
            return null;
        }
        String per = " per " + KnownWorkload.operation(b.workload());
        String how = c.settings() == 1
                ? (c.significant() == 1 ? " (a real difference, Welch's t-test at 99 %)"
                        : c.judged() == 1 ? " (no real difference from the next, Welch's t-test at 99 %)" : " (no error bars to judge by)")
                : " (median over settings; least in " + c.wins() + " of " + c.settings()
                        + ", a real difference (Welch, 99 %) in " + c.significant() + ")";
        String mine = Fmt.micros(c.medianNanos().get(c.strategy()) / 1000);
        if (c.strategy().equals(leader)) {
            return Sentence.builder().strategy(leader).text(" is also the cheapest in server CPU: ").number(mine)
                    .text(per + how + ".").build();
        }
        var s = Sentence.builder().text("Cheapest in server CPU: ").strategy(c.strategy()).text(" ").number(mine)
                .text(per + how);
        Double theirs = c.medianNanos().get(leader);
        if (theirs == null) {
            s.text("; the leader in " + what + ", ").strategy(leader).text(", has no CPU figure");
        } else {
            s.text(", against ").number(Fmt.micros(theirs / 1000)).text(" for the leader in " + what + ", ").strategy(leader);
        }
        return s.text(".").build();
    }
}
