package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The open-loop runs of the common ladder of one benchmark setting: every strategy sent the same
 * absolute rates, so their latency and their server CPU per request compare at equal load (the
 * report's headline). A run that fell behind has no latency "at R": it shows as "could not sustain
 * R/s" and takes no part in a ranking.
 *
 * @param rates   the common rates, lightest first
 * @param runs    strategy (in report order) to rate to run
 * @param lineup  which strategies are references, the model and the limit
 */
record EqualRates(String workload, SortedMap<String, String> params, List<Double> rates, String slowestStrategy,
                  Map<String, Map<Double, LatencyRun>> runs, Lineup lineup) {

    /** The run of one strategy at one rate, or null. */
    LatencyRun run(String strategy, double rate) {
        Map<Double, LatencyRun> byRate = runs.get(strategy);
        return byRate == null ? null : byRate.get(rate);
    }

    List<String> strategies() {
        return List.copyOf(runs.keySet());
    }

    /** "http · plaintext · 256 connections": the setting, for headings. */
    String label() {
        String p = Params.label(params);
        return workload + (p.isEmpty() ? "" : " · " + p);
    }

    /**
     * Runs at {@code rate} that kept up with it (or were not judged), in report order: the ones ranked.
     * The references (asyncio, uvloop, c-epoll) are shown beside them but never ranked with the JVM
     * styles, unless they are all the setting has.
     */
    List<LatencyRun> sustainedAt(double rate) {
        boolean jvm = runs.keySet().stream().anyMatch(s -> !lineup.isReference(s));
        List<LatencyRun> out = new ArrayList<>();
        for (String s : runs.keySet()) {
            LatencyRun r = run(s, rate);
            if (r != null && !r.figures().couldNotSustain() && !(jvm && lineup.isReference(s))) {
                out.add(r);
            }
        }
        return out;
    }

    /** Strategies that ran at {@code rate} and could not sustain it. */
    List<String> fellBehindAt(double rate) {
        return runs.keySet().stream().filter(s -> {
            LatencyRun r = run(s, rate);
            return r != null && r.figures().couldNotSustain();
        }).toList();
    }

    /** The lowest p99 among the sustained runs at {@code rate}; NaN with none. */
    double bestP99(double rate) {
        return sustainedAt(rate).stream().mapToDouble(r -> r.histogram().valueAt(0.99)).min().orElse(Double.NaN);
    }

    /**
     * The rate the verdicts quote: the highest at which at least two strategies kept up (the closest
     * to real load that still compares), or null.
     */
    Double headlineRate() {
        for (int i = rates.size() - 1; i >= 0; i--) {
            if (sustainedAt(rates.get(i)).size() >= 2) {
                return rates.get(i);
            }
        }
        return null;
    }

    /** Sustained runs at {@code rate} with a server CPU figure, cheapest first. */
    List<LatencyRun> byCpuAt(double rate) {
        return sustainedAt(rate).stream().filter(r -> r.figures().serverCpuNanosPerOp() != null)
                .sorted(Comparator.comparingDouble(r -> r.figures().serverCpuNanosPerOp())).toList();
    }

    /** The highest rate at which at least two strategies kept up and have a CPU figure, or null. */
    Double cpuHeadlineRate() {
        for (int i = rates.size() - 1; i >= 0; i--) {
            if (byCpuAt(rates.get(i)).size() >= 2) {
                return rates.get(i);
            }
        }
        return null;
    }

    /** Every common-ladder setting of {@code workload}, in parameter order. */
    static List<EqualRates> of(String workload, List<LatencyRun> all, List<String> strategyOrder, Lineup lineup) {
        Map<SortedMap<String, String>, List<LatencyRun>> bySetting = new TreeMap<>(Params.MAP_ORDER);
        for (LatencyRun r : all) {
            if (r.workload().equals(workload) && r.figures().common()) {
                bySetting.computeIfAbsent(r.params(), k -> new ArrayList<>()).add(r);
            }
        }
        List<EqualRates> out = new ArrayList<>();
        for (var e : bySetting.entrySet()) {
            TreeSet<Double> rates = new TreeSet<>();
            Map<String, Map<Double, LatencyRun>> runs = new LinkedHashMap<>();
            String slowest = null;
            List<LatencyRun> sorted = new ArrayList<>(e.getValue());
            sorted.sort(Comparator.comparing(LatencyRun::strategy, Comparator.comparingInt(s -> {
                int i = strategyOrder.indexOf(s);
                return i < 0 ? Integer.MAX_VALUE : i;
            })));
            for (LatencyRun r : sorted) {
                rates.add(r.intendedRatePerSecond());
                runs.computeIfAbsent(r.strategy(), k -> new TreeMap<>()).put(r.intendedRatePerSecond(), r);
                if (slowest == null) {
                    slowest = r.figures().slowestStrategy();
                }
            }
            out.add(new EqualRates(workload, e.getKey(), List.copyOf(rates), slowest, runs, lineup));
        }
        return out;
    }

    // ------------------------------------------------------------------------------ verdicts

    /**
     * At the headline rate: the lowest and highest p99 of the strategies that kept up, and who could
     * not sustain that rate. Null when fewer than two kept up at any rate.
     */
    Sentence latencyVerdict() {
        Double rate = headlineRate();
        if (rate == null) {
            return fellBehindEverywhere();
        }
        List<LatencyRun> byP99 = sustainedAt(rate).stream()
                .sorted(Comparator.comparingDouble(r -> r.histogram().valueAt(0.99))).toList();
        LatencyRun low = byP99.get(0);
        LatencyRun high = byP99.get(byP99.size() - 1);
        double lo = low.histogram().valueAt(0.99);
        double hi = high.histogram().valueAt(0.99);
        var s = Sentence.builder().text("At ").number(Fmt.num(rate) + " requests/s").text(" for every strategy")
                .text(setting()).text(": lowest p99 ").strategy(low.strategy()).text(" ").number(Fmt.micros(lo))
                .text(", highest ").strategy(high.strategy()).text(" ").number(Fmt.micros(hi))
                .text(lo > 0 ? " (" + Fmt.ratio(hi / lo) + ")" : "");
        List<String> behind = fellBehindAt(rate);
        if (!behind.isEmpty()) {
            s.text("; could not sustain it: ");
            for (int i = 0; i < behind.size(); i++) {
                s.text(i == 0 ? "" : ", ").strategy(behind.get(i));
            }
        }
        return s.text(".").build();
    }

    private Sentence fellBehindEverywhere() {
        if (rates.isEmpty()) {
            return null;
        }
        double lowest = rates.get(0);
        List<String> behind = fellBehindAt(lowest);
        if (behind.isEmpty()) {
            return null;
        }
        var s = Sentence.builder().text("Even at ").number(Fmt.num(lowest) + " requests/s").text(setting())
                .text(" fewer than two strategies kept up; could not sustain it: ");
        for (int i = 0; i < behind.size(); i++) {
            s.text(i == 0 ? "" : ", ").strategy(behind.get(i));
        }
        return s.text(".").build();
    }

    /**
     * Server CPU per request at the highest rate where two or more kept up: the cheapest, the dearest,
     * and whether the cheapest's interval clears the next one's. Null without such a rate.
     */
    Sentence cpuVerdict() {
        Double rate = cpuHeadlineRate();
        if (rate == null) {
            return null;
        }
        List<LatencyRun> cheapestFirst = byCpuAt(rate);
        LatencyRun least = cheapestFirst.get(0);
        LatencyRun next = cheapestFirst.get(1);
        LatencyRun most = cheapestFirst.get(cheapestFirst.size() - 1);
        double a = least.figures().serverCpuNanosPerOp();
        double z = most.figures().serverCpuNanosPerOp();
        String op = KnownWorkload.operation(workload);
        var s = Sentence.builder().text("Server CPU per " + op + " at ").number(Fmt.num(rate) + " requests/s")
                .text(" for every strategy" + setting() + ": least ").strategy(least.strategy()).text(" ")
                .number(Fmt.micros(a / 1000)).text(", most ").strategy(most.strategy()).text(" ")
                .number(Fmt.micros(z / 1000)).text(a > 0 ? " (" + Fmt.ratio(z / a) + ")" : "");
        Double e1 = least.figures().serverCpuNanosPerOpError();
        Double e2 = next.figures().serverCpuNanosPerOpError();
        if (e1 != null && e2 != null) {
            boolean clear = a + e1 < next.figures().serverCpuNanosPerOp() - e2;
            s.text(clear ? "; beyond the error bars of the next, " : "; within the error bars of the next, ")
                    .strategy(next.strategy());
        }
        return s.text(".").build();
    }

    /**
     * The references' own sentence at equal load (they are never ranked with the JVM styles): at
     * the rate of {@link #cpuVerdict}, server CPU per request of asyncio, the JVM styles' range as
     * multiples of the machine's limit (c-epoll), and the limit itself; who of them could not
     * sustain that rate. Null without a JVM ranking or a reference at that rate.
     */
    Sentence referenceVerdict() {
        Double rate = cpuHeadlineRate();
        if (rate == null) {
            return null;
        }
        List<LatencyRun> jvm = byCpuAt(rate);
        LatencyRun model = lineup.model() == null ? null : run(lineup.model(), rate);
        LatencyRun limit = lineup.limit() == null ? null : run(lineup.limit(), rate);
        if (lineup.isReference(jvm.get(0).strategy()) || model == null && limit == null) {
            return null;
        }
        Double limitCpu = limit == null || limit.figures().couldNotSustain() ? null : limit.figures().serverCpuNanosPerOp();
        String op = KnownWorkload.operation(workload);
        var s = Sentence.builder().text("Beside the references at ").number(Fmt.num(rate) + " requests/s")
                .text(setting() + ", not ranked with the JVM styles: server CPU per " + op + " ");
        if (model != null && !model.figures().couldNotSustain() && model.figures().serverCpuNanosPerOp() != null) {
            s.strategy(model.strategy()).text(" ").number(Fmt.micros(model.figures().serverCpuNanosPerOp() / 1000))
                    .text(", ");
        }
        LatencyRun cheapest = jvm.get(0);
        LatencyRun dearest = jvm.get(jvm.size() - 1);
        s.text("the JVM styles from ").number(Fmt.micros(cheapest.figures().serverCpuNanosPerOp() / 1000))
                .text(" (").strategy(cheapest.strategy()).text(timesLimit(cheapest, limitCpu)).text(") to ")
                .number(Fmt.micros(dearest.figures().serverCpuNanosPerOp() / 1000))
                .text(" (").strategy(dearest.strategy()).text(timesLimit(dearest, limitCpu)).text(")");
        if (limitCpu != null) {
            s.text(", the machine's limit ").strategy(limit.strategy()).text(" ").number(Fmt.micros(limitCpu / 1000));
        }
        List<String> behind = fellBehindAt(rate).stream().filter(lineup::isReference).toList();
        if (!behind.isEmpty()) {
            s.text("; could not sustain it: ");
            for (int i = 0; i < behind.size(); i++) {
                s.text(i == 0 ? "" : ", ").strategy(behind.get(i));
            }
        }
        return s.text(".").build();
    }

    private static String timesLimit(LatencyRun r, Double limitCpu) {
        return limitCpu == null || !(limitCpu > 0) ? ""
                : ", " + Fmt.ratio(r.figures().serverCpuNanosPerOp() / limitCpu) + " the limit";
    }

    private String setting() {
        String p = Params.label(params);
        return p.isEmpty() ? "" : " (" + p + ")";
    }
}
