package io.asyncbench.reports;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * report.md: the same tables and verdicts in Markdown, for a code-hosting site or a pull request; the
 * charts are the SVG files in charts/ beside it. Strings from the results are escaped so that they
 * read as text ({@code <script>} stays visible, a {@code |} cannot break a table).
 */
final class MarkdownReport {

    static final String CHART_DIR = "charts";

    /** JMH's percentile keys shown for a sampled time, as the HTML table shows them. */
    private static final List<String> TAIL = List.of("50.0", "99.0", "99.9");

    private final Analysis a;
    private final Map<String, List<Charts.Chart>> charts;
    private final Charts.Chart heatMap;
    private final SourceCatalog sources;
    private final StringBuilder out = new StringBuilder(1 << 16);

    private final List<HtmlEqualRates.View> equalRates;
    private final ExplainSection.Explained explained;

    MarkdownReport(Analysis analysis, Map<String, List<Charts.Chart>> charts, Charts.Chart heatMap, SourceCatalog sources) {
        this(analysis, charts, heatMap, sources, List.of());
    }

    MarkdownReport(Analysis analysis, Map<String, List<Charts.Chart>> charts, Charts.Chart heatMap, SourceCatalog sources,
                   List<HtmlEqualRates.View> equalRates) {
        this(analysis, charts, heatMap, sources, equalRates, new ExplainSection.Explained(List.of(), List.of()));
    }

    MarkdownReport(Analysis analysis, Map<String, List<Charts.Chart>> charts, Charts.Chart heatMap, SourceCatalog sources,
                   List<HtmlEqualRates.View> equalRates, ExplainSection.Explained explained) {
        this.a = analysis;
        this.charts = charts;
        this.heatMap = heatMap;
        this.sources = sources;
        this.equalRates = equalRates;
        this.explained = explained;
    }

    String render() {
        Metadata m = a.results.metadata();
        out.append("# asyncbench report: ").append(md(m.profile() == null ? "benchmark" : m.profile())).append(" run")
                .append(m.startedAt() == null ? "" : " of " + md(Fmt.when(m.startedAt()))).append("\n\n");
        BusyMachine busy = BusyMachine.of(a.results);
        if (busy.measured() + busy.measuredRecordings() > 0) {
            out.append(busy.any() ? "**" + md(busy.summary()) + "**" : md(busy.summary())).append(".\n\n");
        }
        for (Analysis.Warning w : a.warnings) {
            out.append("> **").append(w.level() == Analysis.Level.PROBLEM ? "Problem" : "Caution").append(":** ")
                    .append(md(w.text())).append("\n>\n");
        }
        if (!a.warnings.isEmpty()) {
            out.setLength(out.length() - 2);
            out.append("\n");
        }
        // The opening: latency, then server CPU, at equal rates (issue 9); fairness follows them.
        if (!equalRates.isEmpty()) {
            MarkdownEqualRates.render(equalRates, out);
        }
        fairness();
        out.append("**How to read this.** score ± error is JMH's score with its 99.9 % confidence interval. ")
                .append("× best: next to the best of its setting (1.00 = best; higher is always better, for time too). ")
                .append(a.styles.lineup().peer() == null ? ""
                        : "× " + a.styles.lineup().peer() + ": the same next to " + a.styles.lineup().peer() + ", the reference. ")
                .append("≈ best: no real difference from the best (Welch's t-test on the per-iteration scores, 99 % confidence). ⚠ ±x %: error wider than ±")
                .append(Fmt.percent(Noise.THRESHOLD)).append(" of the figure. server CPU/op: the server process's CPU")
                .append(" time per operation (µs), which still ranks the servers when the load generator sets the pace;")
                .append(" server CPU and load gen CPU: CPU use in percent of the cores each had (a load generator above ")
                .append(Fmt.percent(Notes.LOAD_GENERATOR_SATURATED)).append(" in bold). server alloc/op: the server's")
                .append(" allocation (JMH's gc figure is the load generator's there). backend CPU (gateway, proxy): the")
                .append(" backends' CPU use in percent of their one core (above ").append(Fmt.percent(Notes.BACKENDS_SATURATED))
                .append(" in bold: they set the pace). p50, p99, p99.9: JMH's percentiles of a sampled time.")
                .append(md(HtmlReport.warmupSentence(m))).append(" —: not in the results.\n\n");

        out.append("## Environment\n\n| | |\n|---|---|\n");
        row("Date", join(Fmt.when(m.startedAt()), m.finishedAt() == null ? null : "→ " + Fmt.when(m.finishedAt())));
        row("Profile", m.profile());
        row("Commit", m.gitCommit());
        row("JDK", join(m.jdkVendor(), m.jdkVersion(), m.jdkVmName() == null ? null : "(" + m.jdkVmName() + ")"));
        row("OS", join(m.osName(), m.osVersion(), m.osArch()));
        row("CPU", join(m.cpuModel(), m.cores() == null ? null : "(" + m.cores() + " cores)"));
        row("Memory", m.memoryBytes() == null ? null : Fmt.bytes(m.memoryBytes()));
        row("Placement", m.placementServer() == null && m.placementLoadGenerator() == null ? null
                : "server: " + m.placementServer() + " · load generator: " + m.placementLoadGenerator());
        String warmup = Analysis.serverWarmup(a.results.benchmarks());
        if (warmup != null) {
            row("Server warm-up", warmup);
        }
        m.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> row("Parameter " + md(e.getKey()), e.getValue()));
        out.append("\n");

        out.append("## At a glance\n\n| workload | benchmark | leader | leads in | median lead | a real difference (Welch, 99 %)")
                .append(" | least server CPU/op |\n|---|---|---|---:|---:|---|---|\n");
        for (Analysis.WorkloadReport w : a.workloads) {
            for (Analysis.Benchmark b : w.benchmarks()) {
                Verdicts.Lead l = Verdicts.lead(b);
                out.append("| ").append(md(w.workload())).append(" | ").append(md(b.title())).append(" | ");
                if (b.mode() == Mode.SAMPLE_TIME) {
                    out.append(Verdicts.CLOSED_LOOP_NOT_RANKED).append(" | | | | |\n");
                    continue;
                }
                if (l == null) {
                    out.append("one strategy only | | | | |\n");
                    continue;
                }
                out.append("**").append(md(l.leader())).append("** | ").append(l.wins()).append(" of ").append(l.settings())
                        .append(" | ").append(Fmt.ratio(l.medianMargin())).append(" | ")
                        .append(l.significant() == l.wins() ? "yes" : l.significant() == 0 ? "no (a tie)" : l.significant() + " of " + l.wins())
                        .append(" | ").append(cheapest(b)).append(" |\n");
            }
        }
        out.append("\n");
        if (heatMap != null) {
            image(heatMap);
        }

        for (Analysis.WorkloadReport w : a.workloads) {
            out.append("## ").append(md(w.workload())).append(" · ").append(md(KnownWorkload.title(w.workload()))).append("\n\n");
            for (Sentence s : w.verdict()) {
                out.append("- ").append(sentence(s)).append("\n");
            }
            if (!w.verdict().isEmpty()) {
                out.append("\n");
            }
            for (Sentence s : w.notes()) {
                out.append("> **Note:** ").append(sentence(s)).append("\n>\n");
            }
            if (!w.notes().isEmpty()) {
                out.setLength(out.length() - 2);
                out.append("\n");
            }
            for (Charts.Chart c : charts.getOrDefault(w.workload(), List.of())) {
                image(c);
            }
            for (Analysis.Benchmark b : w.benchmarks()) {
                table(b);
            }
            if (!w.latency().isEmpty()) {
                out.append("### Open-loop latency\n\nAt a fraction of own peak, each strategy ran at that share of its own")
                        .append(" measured peak (a second view; verdicts use equal rates). A percentile p is shown when at")
                        .append(" least 1 / (1 − p) requests back it (p99.9: 1,000, p99.99: 10,000); n is the number of")
                        .append(" requests recorded.\n\n")
                        .append("| load | strategy | intended rate | p50 | p90 | p99 | p99.9 | p99.99 | max | n |\n")
                        .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                for (Analysis.LatencyGroup g : w.latency()) {
                    for (LatencyRun r : g.runs()) {
                        var h = r.histogram();
                        out.append("| ").append(md(g.label())).append(" | ").append(md(r.strategy())).append(" | ")
                                .append(Fmt.num(r.intendedRatePerSecond())).append(" req/s");
                        if (r.figures().couldNotSustain()) {
                            out.append(" | ").append(md(HtmlEqualRates.couldNotSustain(r))).append(" | | | | | | |\n");
                            continue;
                        }
                        for (double p : new double[] {0.5, 0.9, 0.99, 0.999, 0.9999}) {
                            out.append(" | ").append(h.cell(p));
                        }
                        out.append(" | ").append(Fmt.micros(h.max())).append(" | ").append(String.format(java.util.Locale.US, "%,d", h.totalCount())).append(" |\n");
                    }
                }
                out.append("\n");
            }
        }
        a.baseline.ifPresent(this::baseline);
        MarkdownExplain.render(explained, out);
        code();
        out.append("---\nGenerated by asyncbench reports from `").append(ResultsReader.JMH_RESULT)
                .append("`; every number and sentence is computed from the results folder.\n");
        return out.toString();
    }

    private void table(Analysis.Benchmark b) {
        String peer = a.styles.lineup().peer();
        boolean ref = peer != null && b.comparisons().stream().anyMatch(c -> c.row(peer) != null);
        List<Secondary> cost = b.figures().stream().filter(Secondary::isCpu).toList();
        List<Secondary> rest = b.figures().stream().filter(s -> !s.isCpu()).toList();
        out.append("### ").append(md(b.title())).append(" (").append(md(b.displayUnit()))
                .append(b.mode().higherIsBetter ? ", higher is better" : ", lower is better").append(")\n\n|");
        b.paramKeys().forEach(k -> out.append(" ").append(md(k)).append(" |"));
        out.append(" strategy | score ± error |");
        cost.forEach(s -> out.append(" ").append(heading(s)).append(" |"));
        boolean limit = b.hasLimit();
        out.append(limit ? " CPU × limit |" : "");
        out.append(" × best |").append(ref ? " × " + peer + " |" : "").append(" no real difference from |");
        boolean tail = b.showsPercentiles();
        if (tail) {
            TAIL.forEach(p -> out.append(" p").append(p.replaceFirst("\\.0$", "")).append(" |"));
        }
        rest.forEach(s -> out.append(" ").append(heading(s)).append(" |"));
        out.append("\n|");
        b.paramKeys().forEach(k -> out.append("---|"));
        out.append("---|---:|").append("---:|".repeat(cost.size())).append(limit ? "---:|" : "").append("---:|").append(ref ? "---:|" : "")
                .append("---|").append(tail ? "---:|".repeat(TAIL.size()) : "").append("---:|".repeat(rest.size()))
                .append("\n");
        for (Comparison c : b.comparisons()) {
            for (Comparison.Row r : c.allRows()) {
                out.append("|");
                b.paramKeys().forEach(k -> out.append(" ").append(md(c.key().params().getOrDefault(k, "—"))).append(" |"));
                Metric m = r.metric();
                String name = md(r.strategy());
                out.append(" ").append(c.references().contains(r) ? "_" + name + "_ (reference)"
                                : r.best() ? "**" + name + "** ★" : r.tiesBest(c) ? name + " ≈ best" : name)
                        .append(" | ").append(withError(m)).append(" |");
                cost.forEach(s -> out.append(" ").append(figure(s, r.result())).append(" |"));
                if (limit) {
                    double x = c.cpuToLimit(r);
                    out.append(" ").append(Double.isNaN(x) ? "—" : Fmt.ratio(x)).append(" |");
                }
                out.append(" ").append(Fmt.ratio(r.relToBest())).append(" |");
                if (ref) {
                    out.append(" ").append(Fmt.ratio(r.relToReference())).append(" |");
                }
                out.append(" ").append(r.sameAs().stream().map(MarkdownReport::md).collect(Collectors.joining(", "))).append(" |");
                if (tail) {
                    for (String p : TAIL) {
                        Double v = m.percentiles().get(p);
                        out.append(" ").append(v == null ? "—" : Fmt.num(v)).append(" |");
                    }
                }
                rest.forEach(s -> out.append(" ").append(figure(s, r.result())).append(" |"));
                out.append("\n");
            }
        }
        out.append("\n");
    }

    private static String heading(Secondary s) {
        return md(s.label) + (s.headingUnit == null ? "" : " (" + md(s.headingUnit) + ")");
    }

    /** "69,424 ± 7,194", with "⚠ ±10 %" when noisier than {@link Noise#THRESHOLD}. */
    private static String withError(Metric m) {
        return Fmt.num(m.score()) + (m.hasError() ? " ± " + Fmt.errorLike(m.error(), m.score()) : " ± ?")
                + (Noise.noisy(m) ? " ⚠ " + Noise.label(m.relativeError()) : "");
    }

    /** A figure of the workload; the CPU time with its error, a load generator near its limit in bold. */
    private String figure(Secondary s, BenchmarkResult r) {
        Metric m = s.of(r);
        if (m == null) {
            return "—";
        }
        if (s == Secondary.SERVER_CPU_PER_OP) {
            double k = s.scale(r, a.cpus);
            return withError(new Metric(m.score() * k, m.error() * k, m.low() * k, m.high() * k, "µs/op", Map.of()));
        }
        String text = s.format(r, a.cpus);
        boolean hot = s == Secondary.LOAD_GENERATOR_CPU && Notes.clientBound(r, a.cpus)
                || s == Secondary.BACKEND_CPU && s.value(r, a.cpus) > Notes.BACKENDS_SATURATED;
        return hot ? "**" + text + "**" : text;
    }

    private static String cheapest(Analysis.Benchmark b) {
        CpuVerdict.Cheapest c = CpuVerdict.of(b);
        return c == null ? "—" : "**" + md(c.strategy()) + "** " + Fmt.micros(c.medianNanos().get(c.strategy()) / 1000);
    }

    /** The two runs' server CPU at equal load, as ratios between strategies: the pairs that moved most. */
    private void cpuAgreement(CpuRatioAgreement c) {
        if (c.pairs().isEmpty()) {
            out.append("Server CPU at equal load: no strategy pair was measured at the same ladder step in both runs.\n\n");
            return;
        }
        out.append("**Server CPU at equal load, as ratios between strategies:** ").append(c.agreeing()).append(" of ")
                .append(c.pairs().size()).append(" pairs (").append(Fmt.percent(c.share())).append(") agree within ")
                .append(Fmt.percent(c.tolerance())).append(" (").append(md(c.detail())).append(").\n\n")
                .append("| workload | setting | step | pair | ratio now | ratio baseline | apart |\n")
                .append("|---|---|---:|---|---:|---:|---:|\n");
        for (CpuRatioAgreement.Pair p : c.pairs().subList(0, Math.min(10, c.pairs().size()))) {
            out.append("| ").append(md(p.workload())).append(" | ").append(md(Params.label(p.params()))).append(" | ")
                    .append(Fmt.percent(p.fraction())).append(" | ").append(md(p.a() + " / " + p.b())).append(" | ")
                    .append(Fmt.ratio(p.ratioNow())).append(" | ").append(Fmt.ratio(p.ratioBaseline())).append(" | ")
                    .append(Fmt.percent(p.factorApart() - 1)).append(" |\n");
        }
        out.append(c.pairs().size() > 10 ? "\nThe ten pairs furthest apart; the rest are closer.\n\n" : "\n");
    }

    private void baseline(BaselineComparison b) {
        out.append("## Against the baseline\n\nBaseline: `").append(b.baseline().dir().toString().replace("`", "'"))
                .append("`. A change counts only when Welch's t-test on the two runs' per-iteration scores finds it at 99 % confidence (without them: when the two confidence intervals do not overlap).\n\n");
        for (BaselineComparison.Kind k : BaselineComparison.Kind.values()) {
            out.append("**").append(b.count(k)).append("** ").append(k.label).append(" · ");
        }
        out.setLength(out.length() - 3);
        out.append("\n\n");
        cpuAgreement(b.cpuAgreement());
        out.append("| workload | benchmark | setting | strategy | baseline | now | change | verdict |\n")
                .append("|---|---|---|---|---:|---:|---:|---|\n");
        for (BaselineComparison.Change c : b.changes()) {
            BenchmarkResult r = c.any();
            String change = Double.isFinite(c.ratio())
                    ? String.format(java.util.Locale.ROOT, "%+.1f %%", (c.ratio() - 1) * 100) : "—";
            String verdict = switch (c.kind()) {
                case REGRESSED -> "🔴 **regressed**";
                case IMPROVED -> "🟢 **improved**";
                default -> c.kind().label;
            };
            out.append("| ").append(md(r.workload())).append(" | ").append(md(r.method() + " · " + r.mode().jmhName))
                    .append(" | ").append(md(Params.label(r.params()))).append(" | ").append(md(r.strategy()))
                    .append(" | ").append(score(c.baseline())).append(" | ").append(score(c.current())).append(" | ")
                    .append(change).append(" | ").append(verdict).append(" |\n");
        }
        out.append("\n");
    }

    private static String score(BenchmarkResult r) {
        if (r == null) {
            return "—";
        }
        Metric m = r.primary();
        return Fmt.num(m.score()) + (m.hasError() ? " ± " + Fmt.errorLike(m.error(), m.score()) : "") + " " + md(m.unit());
    }

    private void code() {
        if (sources.isEmpty()) {
            return;
        }
        List<String> modules = sources.modules();
        out.append("## The code each style costs\n\nLines of code (non-blank, non-comment):\n\n| |");
        modules.forEach(mod -> out.append(" ").append(md(String.join(" / ", sources.strategies(mod)))).append(" |"));
        out.append("\n|---|");
        modules.forEach(mod -> out.append("---:|"));
        out.append("\n");
        for (var e : sources.linesOfCode().entrySet()) {
            out.append("| ").append(md(SourceCatalog.label(e.getKey()))).append(" |");
            modules.forEach(mod -> out.append(" ").append(e.getValue().containsKey(mod) ? e.getValue().get(mod) : "—").append(" |"));
            out.append("\n");
        }
        out.append("\n");
        for (String w : sources.workloads()) {
            out.append("<details><summary>").append(Html.esc(SourceCatalog.label(w))).append(": each strategy's code</summary>\n\n");
            for (var e : sources.forWorkload(w).entrySet()) {
                for (SourceCatalog.SourceFile f : e.getValue()) {
                    out.append("**").append(md(String.join(" / ", f.strategies()))).append("**: `").append(f.fileName())
                            .append("`, ").append(f.linesOfCode()).append(" lines\n\n```").append(f.language()).append("\n")
                            .append(f.text().replace("```", "` ` `")).append(f.text().endsWith("\n") ? "" : "\n").append("```\n\n");
                }
            }
            out.append("</details>\n\n");
        }
    }

    /** Starvation and fairness between connections, right after the summary. */
    private void fairness() {
        List<FairnessSection.Group> groups = FairnessSection.of(a.results, a.styles.order());
        if (groups.isEmpty()) {
            return;
        }
        out.append("## Fairness between connections\n\nWhat each connection completed in the closed-loop throughput runs,")
                .append(" as a share of the mean of its server (100 % = its fair share), pooled over every server JVM.")
                .append(" A strategy **starves** connections when one completed nothing for ")
                .append(Fairness.STALL).append(" or more, or when Jain's index is below ")
                .append(Fmt.num(Fairness.JAIN_FLOOR)).append(".\n\n");
        for (Sentence s : FairnessSection.verdict(groups, a.styles.order())) {
            out.append("- ").append(sentence(s)).append("\n");
        }
        out.append("\n");
        for (Charts.Chart c : charts.getOrDefault(FairnessSection.CHARTS, List.of())) {
            image(c);
        }
        out.append("| setting | strategy | connections | min | p1 | median | max | Jain's index | stalled ≥ ")
                .append(Fairness.STALL).append(" | longest gap |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FairnessSection.Group g : groups) {
            for (FairnessSection.Row r : g.rows()) {
                Fairness f = r.fairness();
                out.append("| ").append(md(g.label())).append(" | ").append(md(r.strategy()))
                        .append(f.starves() ? " (starves)" : "").append(" | ").append(r.run().connectionsText())
                        .append(" | ").append(Fmt.percent(f.min())).append(" | ").append(Fmt.percent(f.p1()))
                        .append(" | ").append(Fmt.percent(f.median())).append(" | ").append(Fmt.percent(f.max()))
                        .append(" | ").append(f.jainText())
                        .append(" | ").append(f.stalled() > 0 ? "**" + f.stalled() + "**" : "0")
                        .append(" | ").append(Fmt.num(f.longestGapMillis())).append(" ms |\n");
            }
        }
        out.append("\n");
    }

    private void image(Charts.Chart c) {
        out.append("![").append(md(c.title())).append("](").append(CHART_DIR).append("/").append(c.file()).append(")\n\n")
                .append("*").append(md(c.caption())).append("*\n\n");
    }

    private void row(String k, String v) {
        out.append("| ").append(k).append(" | ").append(v == null || v.isBlank() ? "unknown" : md(v)).append(" |\n");
    }

    private String sentence(Sentence s) {
        StringBuilder sb = new StringBuilder();
        for (Sentence.Part p : s.parts()) {
            switch (p) {
                case Sentence.Text t -> sb.append(md(t.text()));
                case Sentence.Strategy st -> sb.append("**").append(md(st.id())).append("**");
                case Sentence.Number n -> sb.append("**").append(md(n.text())).append("**");
            }
        }
        return sb.toString();
    }

    /**
     * Text that Markdown shows as it is: HTML is escaped (so {@code <script>} is text), and the
     * characters that start emphasis, links, code or table cells are backslash-escaped.
     */
    static String md(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\\', '`', '*', '_', '[', ']', '|', '#', '!' -> sb.append('\\').append(c);
                case '\n', '\r' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String join(String... parts) {
        String s = java.util.Arrays.stream(parts).filter(p -> p != null && !p.isBlank()).collect(Collectors.joining(" "));
        return s.isEmpty() ? null : s;
    }
}
