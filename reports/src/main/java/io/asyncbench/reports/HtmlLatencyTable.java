package io.asyncbench.reports;

import static io.asyncbench.reports.Html.esc;

import java.util.List;

/**
 * A workload's open-loop latency table in index.html: one group per load (a fraction of each
 * strategy's own peak, or an exact rate in older results), one row per strategy with the rate it was
 * sent at and its percentiles from the .hgrm recording.
 */
final class HtmlLatencyTable {

    private static final double[] PERCENTILES = {0.5, 0.9, 0.99, 0.999, 0.9999};

    private HtmlLatencyTable() {
    }

    static void render(Analysis a, Analysis.WorkloadReport w, StringBuilder out) {
        out.append("<h3>Open-loop latency <span class=\"muted\">· from the .hgrm recordings, timed from the intended")
                .append(" send time; at a fraction of own peak, each strategy ran at that share of its own measured peak (a second view:")
                .append(" the ★ and the verdicts use equal rates only)")
                .append("</span></h3>\n<div class=\"scroll\"><table class=\"results\"><thead><tr><th>load</th>")
                .append("<th>strategy</th><th class=\"num\">intended rate</th>");
        for (String p : List.of("p50", "p90", "p99", "p99.9", "p99.99", "max")) {
            out.append("<th class=\"num\">").append(p).append("</th>");
        }
        out.append("<th class=\"num\" title=\"requests recorded: a percentile p is shown when at least 1 / (1 − p) back it\">")
                .append("requests (n)</th></tr></thead>\n");
        for (Analysis.LatencyGroup g : w.latency()) {
            out.append("<tbody class=\"group\">");
            // The star only where every strategy ran at the same rate, and only among those that kept up.
            // References are shown, never ranked with the JVM styles.
            boolean jvm = g.runs().stream().anyMatch(r -> !g.lineup().isReference(r.strategy()));
            List<LatencyRun> kept = g.runs().stream().filter(r -> !r.figures().couldNotSustain())
                    .filter(r -> !jvm || !g.lineup().isReference(r.strategy())).toList();
            double bestP99 = g.equalRate() && kept.size() > 1
                    ? kept.stream().mapToDouble(r -> r.histogram().valueAt(0.99)).min().orElse(Double.NaN) : Double.NaN;
            boolean first = true;
            for (LatencyRun r : g.runs()) {
                out.append("<tr>");
                if (first) {
                    String p = Params.label(g.params());
                    out.append("<td class=\"param\" rowspan=\"").append(g.runs().size()).append("\">").append(esc(g.load()))
                            .append(p.isEmpty() ? "" : "<br><span class=\"muted\">" + esc(p) + "</span>").append("</td>");
                    first = false;
                }
                LatencyRun.Histogram h = r.histogram();
                out.append("<td>").append(Html.chip(a.styles, r.strategy()));
                if (kept.contains(r) && h.valueAt(0.99) == bestP99) {
                    out.append(" <span class=\"badge best\" title=\"lowest p99 at this rate\">★ p99</span>");
                }
                out.append("</td><td class=\"num\">").append(esc(Fmt.num(r.intendedRatePerSecond()))).append(" req/s</td>");
                if (r.figures().couldNotSustain()) {
                    out.append("<td class=\"behind\" colspan=\"").append(PERCENTILES.length + 2).append("\">")
                            .append(esc(HtmlEqualRates.couldNotSustain(r))).append("</td></tr>\n");
                    continue;
                }
                for (double p : PERCENTILES) {
                    out.append(h.backs(p) ? "<td class=\"num\">" : "<td class=\"num muted\" title=\"fewer than "
                            + Fmt.num(LatencyRun.Histogram.samplesNeeded(p)) + " requests back this percentile\">")
                            .append(esc(h.cell(p))).append("</td>");
                }
                out.append("<td class=\"num\">").append(esc(Fmt.micros(h.max()))).append("</td><td class=\"num\">")
                        .append(String.format(java.util.Locale.US, "%,d", h.totalCount())).append("</td></tr>\n");
            }
            out.append("</tbody>\n");
        }
        out.append("</table></div>\n");
    }
}
