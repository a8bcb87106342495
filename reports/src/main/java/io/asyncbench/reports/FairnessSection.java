package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Starvation and fairness between connections: for every closed-loop throughput setting that
 * recorded per-connection counts, each strategy's spread of completions and its stalled
 * connections, and the sentences that name a strategy breaking the rule of {@link Fairness#starves}.
 */
final class FairnessSection {

    /** The key of the fairness charts in the report's chart map. */
    static final String CHARTS = "fairness";

    record Row(String strategy, Fairness fairness, ConnectionRun run) {
    }

    /** One benchmark setting (benchmark and parameters), one row per strategy. */
    record Group(String workload, String label, SortedMap<String, String> params, List<Row> rows) {
    }

    private FairnessSection() {
    }

    /** The groups of {@code results}, each one's strategies in {@code order} (the report's, {@link StrategyStyles#order()}). */
    static List<Group> of(Results results, Comparator<String> order) {
        Map<String, List<ConnectionRun>> byGroup = new LinkedHashMap<>();
        results.connections().stream()
                .sorted(Comparator.comparing(ConnectionRun::workload, KnownWorkload.ORDER)
                        .thenComparing(ConnectionRun::groupLabel)
                        .thenComparing(ConnectionRun::strategy, order))
                .forEach(r -> byGroup.computeIfAbsent(r.groupLabel(), k -> new ArrayList<>()).add(r));
        List<Group> out = new ArrayList<>();
        for (List<ConnectionRun> runs : byGroup.values()) {
            List<Row> rows = runs.stream().map(r -> new Row(r.strategy(), Fairness.of(r.servers()), r)).toList();
            ConnectionRun first = runs.get(0);
            out.add(new Group(first.workload(), first.groupLabel(), first.params(), rows));
        }
        return List.copyOf(out);
    }

    /** One sentence per strategy that starves connections somewhere; or one saying none did. */
    static List<Sentence> verdict(List<Group> groups, Comparator<String> order) {
        if (groups.isEmpty()) {
            return List.of();
        }
        Map<String, List<Map.Entry<Group, Fairness>>> starving = new LinkedHashMap<>();
        for (Group g : groups) {
            for (Row r : g.rows()) {
                if (r.fairness().starves()) {
                    starving.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(Map.entry(g, r.fairness()));
                }
            }
        }
        if (starving.isEmpty()) {
            return List.of(Sentence.builder().text("No strategy starved a connection: in every setting each one kept"
                    + " Jain's index at " + Fmt.num(Fairness.JAIN_FLOOR) + " or above and no connection went "
                    + Fairness.STALL + " without a completion.").build());
        }
        List<Sentence> out = new ArrayList<>();
        starving.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(order))
                .forEach(e -> out.add(starves(e.getKey(), e.getValue())));
        return out;
    }

    /** The starvation sentences of one workload, for its verdict. */
    static List<Sentence> forWorkload(String workload, List<Group> groups, Comparator<String> order) {
        List<Group> mine = groups.stream().filter(g -> g.workload().equals(workload)).toList();
        return verdict(mine, order).stream().filter(s -> !s.plain().startsWith("No strategy")).toList();
    }

    private static Sentence starves(String strategy, List<Map.Entry<Group, Fairness>> where) {
        var s = Sentence.builder().strategy(strategy).text(" starves connections");
        for (int i = 0; i < where.size(); i++) {
            Group g = where.get(i).getKey();
            Fairness f = where.get(i).getValue();
            s.text(i == 0 ? " at " : "; at ").text(g.label()).text(": ");
            if (f.stalled() > 0) {
                s.number(f.stalled() + " of " + f.connections()).text(" connections completed nothing for "
                        + Fairness.STALL + " or more (longest ")
                        .number(Fmt.num(f.longestGapMillis()) + " ms").text("), ");
            }
            s.text("Jain's index ").number(f.jainText())
                    .text(", the least-served connection got ").number(Fmt.percent(f.min())).text(" of the mean");
        }
        return s.text(".").build();
    }
}
