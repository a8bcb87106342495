package io.asyncbench.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * summary.csv: one row per benchmark × strategy × parameters (RFC 4180 quoting), with score, error,
 * unit and the ratios of the report, every secondary figure the bench writes ({@link Secondary}: a
 * column each, empty where a result lacks it or it does not describe the workload, so that the load
 * generator's gc.alloc.rate.norm never fills alloc_bytes_per_op of a server workload), and the change
 * against the baseline when there is one. Ratios follow {@link Mode#performanceRatio}: above 1 is
 * better whatever the mode. CPU use is in percent of the cores in server_cores / load_generator_cores.
 */
final class CsvReport {

    private CsvReport() {
    }

    static String render(Analysis a) {
        var paramKeys = new TreeSet<>(Params.KEY_ORDER);
        a.results.benchmarks().forEach(r -> paramKeys.addAll(r.params().keySet()));
        boolean base = a.baseline.isPresent();
        List<String> header = new ArrayList<>(List.of("workload", "benchmark", "mode", "strategy"));
        paramKeys.forEach(k -> header.add("param_" + k));
        header.addAll(List.of("score", "score_error", "score_low", "score_high", "unit", "relative_error",
                "ratio_to_best", "ratio_to_" + (a.styles.lineup().peer() == null ? "peer" : a.styles.lineup().peer().replace('-', '_')), "is_best", "overlaps_best",
                "overlaps_with", "noisy"));
        for (Secondary sec : Secondary.values()) {
            header.add(sec.csvColumn);
            if (sec.kind == Secondary.Kind.SERVER_SHARE) {
                header.add("server_cores");
            } else if (sec.kind == Secondary.Kind.LOAD_GENERATOR_SHARE) {
                header.add("load_generator_cores");
            }
        }
        header.addAll(List.of("connections_counted", "connection_share_min", "connection_share_p1",
                "connection_share_median", "connection_share_max", "jain_index", "connections_stalled_1s", "starves"));
        java.util.Map<String, Fairness> fairness = new java.util.HashMap<>();
        for (FairnessSection.Group g : FairnessSection.of(a.results, a.styles.order())) {
            for (FairnessSection.Row fr : g.rows()) {
                fairness.put(fairnessKey(fr.run().benchmark(), fr.strategy(), fr.run().params()), fr.fairness());
            }
        }
        if (base) {
            header.addAll(List.of("baseline_score", "baseline_error", "change_ratio", "change"));
        }
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (Comparison c : a.allComparisons()) {
            for (Comparison.Row r : c.allRows()) {
                BenchmarkResult b = r.result();
                Metric m = b.primary();
                List<String> row = new ArrayList<>(List.of(b.workload(), b.benchmark(), b.mode().jmhName, b.strategy()));
                paramKeys.forEach(k -> row.add(b.params().getOrDefault(k, "")));
                row.addAll(List.of(num(m.score()), num(m.error()), num(m.low()), num(m.high()), m.unit(),
                        num(m.relativeError()), num(r.relToBest()), num(r.relToReference()), String.valueOf(r.best()),
                        String.valueOf(r.best() || r.tiesBest(c)), String.join(" ", r.sameAs()),
                        String.valueOf(r.noisy())));
                for (Secondary sec : Secondary.values()) {
                    row.add(num(sec.csvValue(b, a.cpus)));
                    if (sec.kind == Secondary.Kind.SERVER_SHARE) {
                        row.add(sec.of(b) == null ? "" : String.valueOf(a.cpus.serverCores()));
                    } else if (sec.kind == Secondary.Kind.LOAD_GENERATOR_SHARE) {
                        row.add(sec.of(b) == null ? "" : String.valueOf(a.cpus.loadGeneratorCores(b)));
                    }
                }
                Fairness f = b.mode() == Mode.THROUGHPUT
                        ? fairness.get(fairnessKey(b.benchmark(), b.strategy(), b.params())) : null;
                if (f == null) {
                    row.addAll(java.util.Collections.nCopies(8, ""));
                } else {
                    row.addAll(List.of(String.valueOf(f.connections()), num(f.min()), num(f.p1()), num(f.median()),
                            num(f.max()), num(f.jain()), String.valueOf(f.stalled()), String.valueOf(f.starves())));
                }
                if (base) {
                    BaselineComparison.Change ch = a.baseline.get().forCurrent(b);
                    Metric bm = ch == null || ch.baseline() == null ? null : ch.baseline().primary();
                    row.addAll(List.of(bm == null ? "" : num(bm.score()), bm == null ? "" : num(bm.error()),
                            ch == null ? "" : num(ch.ratio()), ch == null ? "" : ch.kind().name().toLowerCase(Locale.ROOT)));
                }
                line(out, row);
            }
        }
        return out.toString();
    }

    private static String fairnessKey(String benchmark, String strategy, java.util.Map<String, String> params) {
        return benchmark + " " + strategy + " " + Params.label(new java.util.TreeMap<>(params));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.valueOf(v) : "";
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    /** RFC 4180 quoting; a text that a spreadsheet would run as a formula gets a leading apostrophe. */
    static String field(String s) {
        if (s == null) {
            return "";
        }
        if (!s.isEmpty() && "=+@\t\r".indexOf(s.charAt(0)) >= 0
                || s.startsWith("-") && Params.number(s) == null) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
