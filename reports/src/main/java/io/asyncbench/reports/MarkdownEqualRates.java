package io.asyncbench.reports;

import static io.asyncbench.reports.MarkdownReport.md;

import java.util.List;
import java.util.function.BiFunction;

/** The opening of report.md: latency, then server CPU, at equal rates (see {@link HtmlEqualRates}). */
final class MarkdownEqualRates {

    private MarkdownEqualRates() {
    }

    /** One row per strategy, one cell per common rate: the cell's text from its run (null: none). */
    private static void table(EqualRates e, StringBuilder out, BiFunction<LatencyRun, Double, String> cell) {
        header(e, out);
        for (String s : e.strategies()) {
            out.append("| ").append(md(s));
            for (double rate : e.rates()) {
                out.append(" | ").append(cell.apply(e.run(s, rate), rate));
            }
            out.append(" |\n");
        }
    }

    static void render(List<HtmlEqualRates.View> views, StringBuilder out) {
        out.append("## Latency at equal rates\n\nEvery strategy was sent the same request rates, open loop, at fractions")
                .append(" of the slowest strategy's measured peak (with run --rates-from: an earlier run's rates); latency counts from the intended send times. A")
                .append(" strategy that fell behind (fewer than 97 % of the requests sent or answered within the window,")
                .append(" the window overran, or requests left more than 1 ms late at the median) shows as *could not")
                .append(" sustain*, never as a latency at that rate. Cells: p50 · **p99** · p99.9; ★ = lowest p99.\n\n");
        for (HtmlEqualRates.View v : views) {
            EqualRates e = v.rates();
            out.append("### ").append(md(e.label())).append("\n\n");
            verdict(e.latencyVerdict(), out);
            image(v.latency(), out);
            table(e, out, (r, rate) -> {
                if (r == null) {
                    return "—";
                }
                if (r.figures().couldNotSustain()) {
                    return md(HtmlEqualRates.couldNotSustain(r));
                }
                LatencyRun.Histogram h = r.histogram();
                List<LatencyRun> ranked = e.sustainedAt(rate);
                boolean best = ranked.size() > 1 && ranked.contains(r) && h.valueAt(0.99) == e.bestP99(rate);
                return Fmt.micros(h.valueAt(0.5)) + " · **" + Fmt.micros(h.valueAt(0.99)) + "** · "
                        + h.cell(0.999) + (best ? " ★" : "");
            });
            out.append("\n");
        }

        out.append("## Server CPU at equal rates\n\nThe headline cost: server CPU time per request at each common rate,")
                .append(" read from the server's own stats at the start and end of each open-loop window (the")
                .append(" strategies take turns, one short window each per round, so a drift of the machine's speed")
                .append(" falls on all alike); ± is the confidence interval over the windows. Closed-loop CPU per operation (each strategy at its")
                .append(" own peak) further down is the secondary figure. ★ = least at that rate.\n\n");
        for (HtmlEqualRates.View v : views) {
            EqualRates e = v.rates();
            out.append("### ").append(md(e.label())).append("\n\n");
            verdict(e.cpuVerdict(), out);
            image(v.cpu(), out);
            table(e, out, (r, rate) -> {
                if (r == null || r.figures().serverCpuNanosPerOp() == null) {
                    return "—";
                }
                if (r.figures().couldNotSustain()) {
                    return "fell behind";
                }
                OpenLoopFigures f = r.figures();
                List<LatencyRun> cheapest = e.byCpuAt(rate);
                return Fmt.num(f.serverCpuNanosPerOp() / 1000) + " µs"
                        + (f.serverCpuNanosPerOpError() == null ? "" : " ± " + Fmt.errorLike(
                                f.serverCpuNanosPerOpError() / 1000, f.serverCpuNanosPerOp() / 1000))
                        + (cheapest.size() > 1 && cheapest.get(0) == r ? " ★" : "");
            });
            out.append("\n");
        }
        out.append("<!-- fairness between connections (issue 9 §4) follows here, third in the opening -->\n\n");
    }

    private static void header(EqualRates e, StringBuilder out) {
        out.append("| strategy");
        for (double rate : e.rates()) {
            out.append(" | ").append(Fmt.num(rate)).append(" req/s");
        }
        out.append(" |\n|---");
        e.rates().forEach(r -> out.append("|---:"));
        out.append("|\n");
    }

    private static void verdict(Sentence s, StringBuilder out) {
        if (s == null) {
            return;
        }
        out.append("- ");
        for (Sentence.Part p : s.parts()) {
            switch (p) {
                case Sentence.Text t -> out.append(md(t.text()));
                case Sentence.Strategy st -> out.append("**").append(md(st.id())).append("**");
                case Sentence.Number n -> out.append("**").append(md(n.text())).append("**");
            }
        }
        out.append("\n\n");
    }

    private static void image(Charts.Chart c, StringBuilder out) {
        if (c == null) {
            return;
        }
        out.append("![").append(md(c.title())).append("](").append(MarkdownReport.CHART_DIR).append("/").append(c.file())
                .append(")\n\n*").append(md(c.caption())).append("*\n\n");
    }
}
