package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few sentences at the top of each workload: who leads, by how much, whether the lead is beyond
 * noise (Welch's t-test), who trails, and what latency and allocation add. All computed from the numbers;
 * nothing here is typed by hand about any strategy.
 */
final class Verdicts {

    /** What the overview says instead of a leader for JMH's closed-loop sampled time. */
    static final String CLOSED_LOOP_NOT_RANKED = "not ranked: closed loop, so a slow reply hides the requests it"
            + " delays (coordinated omission); compare the open-loop latency";

    private static final int MAX_EXCEPTIONS = 2;
    private static final int MAX_LATENCY_SENTENCES = 2;

    private Verdicts() {
    }

    static List<Sentence> forWorkload(List<Analysis.Benchmark> benchmarks, List<Analysis.LatencyGroup> latency) {
        return forWorkload(benchmarks, latency, List.of(), false);
    }

    /**
     * The verdict of one workload. Latency is judged at equal rates only: the common ladder
     * ({@code equalRates}), or in older results groups at one exact rate; own-peak fractions are a
     * second view and make no verdict. When the throughput was client-bound, the verdict opens with
     * the ranking by server CPU at equal load.
     */
    static List<Sentence> forWorkload(List<Analysis.Benchmark> benchmarks, List<Analysis.LatencyGroup> latency,
                                      List<EqualRates> equalRates, boolean clientBound) {
        List<Sentence> out = new ArrayList<>();
        List<Sentence> cpuAtEqualLoad = equalRates.stream().map(EqualRates::cpuVerdict)
                .filter(java.util.Objects::nonNull).toList();
        if (clientBound && !cpuAtEqualLoad.isEmpty()) {
            out.add(Sentence.builder().text("Throughput here is client-bound (the load CPUs above "
                    + Fmt.percent(Notes.LOAD_CPUS_SATURATED) + "), so the ranking is by server CPU at equal load:").build());
            out.addAll(cpuAtEqualLoad);
        }
        boolean first = true;
        for (Analysis.Benchmark b : benchmarks) {
            if (b.mode() == Mode.SAMPLE_TIME) {
                // Closed loop: a slow reply holds back the next request (coordinated omission), so
                // its latency is not a fair comparison; the open-loop recordings are.
                continue;
            }
            List<Sentence> said = forBenchmark(b, benchmarks.size() > 1);
            // The first (throughput) benchmark gets the full story; any other one who leads it and where not.
            out.addAll(first ? said : said.stream().limit(2).filter(x -> !x.plain().startsWith("Next to")).toList());
            first = said.isEmpty() && first;
        }
        benchmarks.stream().filter(b -> b.mode() == Mode.THROUGHPUT).findFirst()
                .map(ReferenceVerdict::sentence).ifPresent(out::add);
        List<Sentence> equal = equalRates.stream().map(EqualRates::latencyVerdict)
                .filter(java.util.Objects::nonNull).toList();
        out.addAll(equal.stream().limit(MAX_LATENCY_SENTENCES).toList());
        if (equal.isEmpty()) {
            // older results: groups at one exact rate are equal rates too; own-peak fractions never judge
            latency.stream()
                    .filter(g -> g.fractionOfPeak() == null)
                    .sorted(Comparator.comparingDouble(Analysis.LatencyGroup::level).reversed())
                    .filter(g -> g.runs().size() > 1)
                    .limit(MAX_LATENCY_SENTENCES)
                    .forEach(g -> out.add(latency(g)));
        }
        if (!clientBound) {
            out.addAll(cpuAtEqualLoad);
        }
        equalRates.stream().map(EqualRates::referenceVerdict).filter(java.util.Objects::nonNull).forEach(out::add);
        return List.copyOf(out);
    }

    /**
     * Who leads one benchmark: the strategy best in the most settings (ties broken by the geometric
     * mean of its ratio to the best), how often, by what median margin over the runner-up, and in how
     * many of its leads the intervals do not overlap. Null when no setting had two strategies.
     */
    record Lead(String leader, int wins, int settings, long significant, double medianMargin,
                Map<String, Double> geometricMeans, List<Comparison> contested) {
    }

    static Lead lead(Analysis.Benchmark b) {
        List<Comparison> contested = b.comparisons().stream().filter(c -> c.rows().size() > 1).toList();
        if (contested.isEmpty()) {
            return null;
        }
        Map<String, Integer> wins = new LinkedHashMap<>();
        contested.forEach(c -> wins.merge(c.best().strategy(), 1, Integer::sum));
        Map<String, Double> geo = geometricMeans(contested);
        String leader = wins.keySet().stream()
                .max(Comparator.comparingInt((String s) -> wins.get(s)).thenComparingDouble(s -> geo.getOrDefault(s, 0.0)))
                .orElseThrow();
        List<Comparison> led = contested.stream().filter(c -> c.best().strategy().equals(leader)).toList();
        long significant = led.stream().filter(Comparison::leadSignificant).count();
        double[] margins = led.stream().mapToDouble(Comparison::leadMargin).sorted().toArray();
        return new Lead(leader, led.size(), contested.size(), significant, median(margins), geo, contested);
    }

    static List<Sentence> forBenchmark(Analysis.Benchmark b, boolean nameIt) {
        Lead lead = lead(b);
        if (lead == null) {
            return List.of();
        }
        // A score the report chose to rank on (the timers' "gather overhead") is named by it, not its mode.
        String what = nameIt ? b.name() : b.method().contains(" ") ? b.method() : b.mode().label;
        String leader = lead.leader();
        List<Comparison> contested = lead.contested();
        Map<String, Double> geo = lead.geometricMeans();
        int n = lead.settings();
        int k = lead.wins();
        long significant = lead.significant();
        double median = lead.medianMargin();

        List<Sentence> out = new ArrayList<>();
        var s = Sentence.builder().strategy(leader);
        if (n == 1) {
            Comparison c = contested.get(0);
            s.text(" leads " + what + " by ").number(Fmt.ratio(median)).text(" over ").strategy(c.runnerUp().strategy())
                    .text(significant == 1 ? ", a real difference (Welch's t-test, 99 %)." : ", but no real difference (Welch's t-test, 99 %).");
        } else {
            s.text(k == n ? " leads " + what + " in every one of the " : " leads " + what + " in ")
                    .number(k == n ? String.valueOf(n) : k + " of " + n)
                    .text(" settings, by a median ").number(Fmt.ratio(median)).text(" over the runner-up; ");
            if (significant == k) {
                s.text(k == 1 ? "that lead is a real difference (Welch's t-test, 99 %)."
                        : "every one of those leads is a real difference (Welch's t-test, 99 %).");
            } else if (significant == 0) {
                s.text("but no lead is a real difference (Welch's t-test, 99 %): treat them as ties.");
            } else {
                s.text("the lead is a real difference (Welch's t-test, 99 %) in ").number(significant + " of " + k).text(".");
            }
        }
        out.add(s.build());

        List<Comparison> others = contested.stream().filter(c -> !c.best().strategy().equals(leader)).toList();
        if (!others.isEmpty()) {
            var e = Sentence.builder().text(others.size() == 1 ? "Elsewhere: " : "Where it does not lead: ");
            for (int i = 0; i < Math.min(MAX_EXCEPTIONS, others.size()); i++) {
                Comparison c = others.get(i);
                Comparison.Row mine = c.row(leader);
                if (i > 0) {
                    e.text("; ");
                }
                e.strategy(c.best().strategy()).text(" at " + settings(c) + " (")
                        .number(Fmt.ratio(c.leadMargin()))
                        .text(c.leadSignificant() ? ", significant" : ", within error")
                        .text(mine == null ? ", " + leader + " did not run)" : ")");
            }
            if (others.size() > MAX_EXCEPTIONS) {
                e.text("; and " + (others.size() - MAX_EXCEPTIONS) + " more");
            }
            out.add(e.text(".").build());
        }

        if (geo.size() > 2) {
            var r = Sentence.builder().text("Next to the best, on average (geometric mean over settings): ");
            var ranked = geo.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
            for (int i = 0; i < ranked.size(); i++) {
                if (i > 0) {
                    r.text(", ");
                }
                r.strategy(ranked.get(i).getKey()).text(" ").number(Fmt.ratio(ranked.get(i).getValue()));
            }
            out.add(r.text(".").build());
        }

        String ref = b.comparisons().get(0).lineup().peer();
        if (ref != null && !leader.equals(ref) && geo.containsKey(ref)) {
            double[] vsRef = contested.stream().filter(c -> c.row(leader) != null && c.row(ref) != null)
                    .mapToDouble(c -> c.row(leader).relToReference()).toArray();
            if (vsRef.length > 0) {
                out.add(Sentence.builder().strategy(leader).text(" against the reference ").strategy(ref).text(": ")
                        .number(Fmt.ratio(geometricMean(vsRef)))
                        .text(vsRef.length > 1 ? " (geometric mean)." : ".").build());
            }
        }

        Sentence cpu = CpuVerdict.sentence(b, leader, what);
        if (cpu != null) {
            out.add(cpu);
        }
        Sentence alloc = allocation(b);
        if (alloc != null) {
            out.add(alloc);
        }
        return out;
    }

    /**
     * Lowest and highest p99 in one group. With a fraction, each strategy ran at that share of its own
     * peak (an equally hard load for each), so the sentence gives each one's own rate too.
     */
    private static Sentence latency(Analysis.LatencyGroup g) {
        // The references are not ranked with the JVM styles, unless they are all the group has.
        boolean jvm = g.runs().stream().anyMatch(r -> !g.lineup().isReference(r.strategy()));
        var byP99 = g.runs().stream()
                .filter(r -> !jvm || !g.lineup().isReference(r.strategy()))
                .sorted(Comparator.comparingDouble(r -> r.histogram().valueAt(0.99)))
                .toList();
        LatencyRun low = byP99.get(0);
        LatencyRun high = byP99.get(byP99.size() - 1);
        double lo = low.histogram().valueAt(0.99);
        double hi = high.histogram().valueAt(0.99);
        boolean fraction = g.fractionOfPeak() != null;
        var s = Sentence.builder().text("Open loop at ");
        if (fraction) {
            s.number(Fmt.percent(g.fractionOfPeak())).text(" of each strategy's own peak");
        } else {
            s.number(Fmt.num(g.rate()) + " requests/s");
        }
        return s.text(Params.label(g.params()).isEmpty() ? "" : " (" + Params.label(g.params()) + ")")
                .text(": lowest p99 ").strategy(low.strategy()).text(" ").number(Fmt.micros(lo))
                .text(fraction ? " at " + Fmt.num(low.intendedRatePerSecond()) + " req/s" : "")
                .text(", highest ").strategy(high.strategy()).text(" ").number(Fmt.micros(hi))
                .text(fraction ? " at " + Fmt.num(high.intendedRatePerSecond()) + " req/s" : "")
                .text(lo > 0 ? " (" + Fmt.ratio(hi / lo) + ")." : ".").build();
    }

    /** The strategy's own allocation: the server's for a server workload, never the load generator's. */
    private static Sentence allocation(Analysis.Benchmark b) {
        Secondary metric = Secondary.allocation(b.workload());
        Map<String, List<Double>> alloc = new LinkedHashMap<>();
        for (Comparison c : b.comparisons()) {
            for (Comparison.Row r : c.rows()) {
                Metric m = metric.of(r.result());
                if (m != null && Double.isFinite(m.score())) {
                    alloc.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(m.score());
                }
            }
        }
        if (alloc.size() < 2) {
            return null;
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        alloc.forEach((k, v) -> medians.put(k, median(v.stream().mapToDouble(Double::doubleValue).sorted().toArray())));
        var least = medians.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
        var most = medians.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        return Sentence.builder().text((metric == Secondary.SERVER_ALLOC ? "Server allocation" : "Allocation")
                        + " per " + KnownWorkload.operation(b.workload()) + " (median over settings): least ")
                .strategy(least.getKey()).text(" ").number(Fmt.bytes(least.getValue()))
                .text(", most ").strategy(most.getKey()).text(" ").number(Fmt.bytes(most.getValue())).text(".").build();
    }

    /** Each strategy's geometric mean of its ratio to the best, over the settings it ran. */
    static Map<String, Double> geometricMeans(List<Comparison> comparisons) {
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (Comparison c : comparisons) {
            for (Comparison.Row r : c.rows()) {
                ratios.computeIfAbsent(r.strategy(), k -> new ArrayList<>()).add(r.relToBest());
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        ratios.forEach((k, v) -> out.put(k, geometricMean(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }

    static double geometricMean(double[] values) {
        return Math.exp(Arrays.stream(values).map(Math::log).average().orElse(Double.NaN));
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static String settings(Comparison c) {
        String p = Params.label(c.key().params());
        return p.isEmpty() ? "the only setting" : p;
    }
}
